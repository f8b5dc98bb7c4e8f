package io.undercurrent.rules;

import java.util.List;
import java.util.Objects;

/**
 * What a channel rule lets one client do in one channel ({@link RuleSet#channel}).
 *
 * @param join           whether the client may join the channel (see who is present, receive its messages)
 * @param publish        whether the client may publish ephemeral messages to it; never true without
 *                       {@code join}
 * @param presenceClaims the claims of the client's token that others present in the channel may see,
 *                       in the rule's order; empty shows only an opaque client id
 * @param rule           where the deciding rule is written ({@code file:line:col}), or null when no
 *                       rule covers the channel
 * @param undecided      {@code join} is false only because a table its rule looks up could not answer
 *                       (still being loaded, or over its memory bound): a new join is refused, but a
 *                       client already present should not be taken out for it, since nothing about it
 *                       was decided
 */
public record ChannelAccess(
        boolean join, boolean publish, List<String> presenceClaims, String rule, boolean undecided) {

    /** No rule covers the channel: nobody may join it (default deny). */
    public static final ChannelAccess DENIED = new ChannelAccess(false, false, List.of(), null);

    /** A decided access (every lookup its rule made could answer). */
    public ChannelAccess(boolean join, boolean publish, List<String> presenceClaims, String rule) {
        this(join, publish, presenceClaims, rule, false);
    }

    public ChannelAccess {
        presenceClaims = List.copyOf(Objects.requireNonNull(presenceClaims, "presenceClaims"));
        publish = publish && join;
        undecided = undecided && !join;
    }
}
