package io.undercurrent.edge;

/**
 * Limits of ephemeral channels (presence, typing) on one edge. Built and validated by the server
 * from its configuration ({@code channel.*}).
 *
 * @param actionsPerSecond joins and publishes allowed per connection per second, together (bursts of
 *                         twice that); beyond, a frame is answered {@code rate_limited}
 * @param maxMessageBytes  largest {@code data} of one published message, in bytes of its JSON
 * @param maxJoined        most channels one connection may be in at once
 */
public record ChannelSettings(int actionsPerSecond, int maxMessageBytes, int maxJoined) {

    /** The declared defaults ({@code channel.*} in {@link EdgeSettingDeclarations}). */
    public static final ChannelSettings DEFAULTS = new ChannelSettings(
            EdgeSettingDeclarations.CHANNEL_ACTIONS_PER_SECOND.defaultValue(),
            EdgeSettingDeclarations.CHANNEL_MAX_MESSAGE_BYTES.defaultValue(),
            EdgeSettingDeclarations.CHANNEL_MAX_JOINED.defaultValue());

    public ChannelSettings {
        if (actionsPerSecond < 1 || maxMessageBytes < 1 || maxJoined < 1) {
            throw new IllegalArgumentException("channel limits must be at least 1, not " + actionsPerSecond + " actions"
                    + " per second, " + maxMessageBytes + " bytes per message and " + maxJoined + " channels");
        }
    }
}
