package io.undercurrent.bus.channel;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * An ephemeral message published to a channel (the channel messages topic, keyed by channel).
 *
 * @param node   the publisher's node
 * @param client the publisher's client id; it does not receive its own message
 * @param info   the publisher's presence info, as others see it
 * @param data   what the client published, as it wrote it
 */
public record ChannelMessage(
        String node, String client, String channel, Map<String, Object> info, JsonNode data, long sentAt) {

    public ChannelMessage {
        info = info == null ? Map.of() : info;
    }
}
