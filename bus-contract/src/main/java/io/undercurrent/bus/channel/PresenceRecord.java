package io.undercurrent.bus.channel;

import java.util.Map;

/**
 * One client present in one channel (value of a {@link PresenceKey.Member}).
 *
 * @param info     the claims the channel rule lets others see; never other claims of the token
 * @param joinedAt when the client joined, epoch ms
 */
public record PresenceRecord(String node, String client, String channel, Map<String, Object> info, long joinedAt) {

    public PresenceRecord {
        info = info == null ? Map.of() : info;
    }

    public PresenceKey.Member key() {
        return new PresenceKey.Member(node, client, channel);
    }
}
