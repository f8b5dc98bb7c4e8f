package io.undercurrent.edge;

/**
 * Limits of ephemeral channels (presence, typing) on one edge. Built and validated by the server
 * from its configuration ({@code channel.*}).
 *
 * @param actionsPerSecond joins and publishes allowed per connection per second, together (bursts of
 *                         twice that); beyond, a frame is answered {@code rate_limited}
 * @param maxMessageBytes  largest {@code data} of one published message, in bytes of its JSON
 * @param maxJoined        most channels one connection may be in at once
 * @param maxPresent       most clients present in one channel, as this edge knows them (its own and
 *                         other edges'); a join beyond is answered {@code limit_exceeded}, so a
 *                         {@code joined} frame stays bounded
 */
public record ChannelSettings(int actionsPerSecond, int maxMessageBytes, int maxJoined, int maxPresent) {

    /** The declared defaults ({@code channel.*} in {@link EdgeSettingDeclarations}). */
    public static final ChannelSettings DEFAULTS = new ChannelSettings(
            EdgeSettingDeclarations.CHANNEL_ACTIONS_PER_SECOND.defaultValue(),
            EdgeSettingDeclarations.CHANNEL_MAX_MESSAGE_BYTES.defaultValue(),
            EdgeSettingDeclarations.CHANNEL_MAX_JOINED.defaultValue(),
            EdgeSettingDeclarations.CHANNEL_MAX_PRESENT.defaultValue());

    public ChannelSettings {
        if (actionsPerSecond < 1 || maxMessageBytes < 1 || maxJoined < 1 || maxPresent < 1) {
            throw new IllegalArgumentException("channel limits must be at least 1, not " + actionsPerSecond + " actions"
                    + " per second, " + maxMessageBytes + " bytes per message, " + maxJoined + " channels and "
                    + maxPresent + " clients present");
        }
    }

    /** With the default cap on clients present in one channel. */
    public ChannelSettings(int actionsPerSecond, int maxMessageBytes, int maxJoined) {
        this(actionsPerSecond, maxMessageBytes, maxJoined, EdgeSettingDeclarations.CHANNEL_MAX_PRESENT.defaultValue());
    }
}
