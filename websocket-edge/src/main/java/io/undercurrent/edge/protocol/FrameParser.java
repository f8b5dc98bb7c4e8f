package io.undercurrent.edge.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.undercurrent.change.ChangeEventCodec;
import java.util.regex.Pattern;

/**
 * Reads client frames. Every malformed frame becomes a {@link ProtocolException} with
 * {@link ErrorCode#BAD_REQUEST} and a message that says what is wrong; nothing here throws anything
 * else. Thread-safe.
 */
public final class FrameParser {

    /** Longest client id accepted; ids travel in every delivery key. */
    static final int MAX_ID_LENGTH = 128;

    /** What a channel name may hold; the rules engine checks channel rules' names the same way. */
    public static final Pattern CHANNEL = Pattern.compile("[A-Za-z0-9_.:@/-]{1,128}");

    private static final String TYPES = "auth, subscribe, unsubscribe, ping, join, publish, leave";

    /** Integers past 64 bits (an id filter of 99999999999999999999) are read exactly, not refused as invalid JSON. */
    private final ObjectReader json =
            ChangeEventCodec.canonicalMapper().reader().without(DeserializationFeature.USE_LONG_FOR_INTS);

    public ClientFrame parse(String text) throws ProtocolException {
        JsonNode frame;
        try {
            frame = json.readTree(text);
        } catch (JsonProcessingException e) {
            throw bad(null, "frame is not valid JSON: " + e.getOriginalMessage());
        }
        if (frame == null || !frame.isObject()) {
            throw bad(null, "frame must be a JSON object with a \"type\"");
        }
        String id = optionalText(frame, "id", null);
        if (id != null && (id.isEmpty() || id.length() > MAX_ID_LENGTH)) {
            throw bad(null, "\"id\" must be 1 to " + MAX_ID_LENGTH + " characters");
        }
        String type = optionalText(frame, "type", id);
        if (type == null) {
            throw bad(id, "frame has no \"type\"; expected one of " + TYPES);
        }
        return switch (type) {
            case "auth" -> new ClientFrame.Auth(id, requiredText(frame, "token", id));
            case "subscribe" -> subscribe(frame, id);
            case "unsubscribe" -> {
                if (id == null) {
                    throw bad(null, "unsubscribe needs the \"id\" of the subscription");
                }
                yield new ClientFrame.Unsubscribe(id);
            }
            case "ping" -> new ClientFrame.Ping(id);
            case "join" -> new ClientFrame.Join(id, channel(frame, id));
            case "leave" -> new ClientFrame.Leave(id, channel(frame, id));
            case "publish" -> {
                String channel = channel(frame, id);
                JsonNode data = frame.get("data");
                if (data == null || data.isNull()) {
                    throw bad(id, "publish needs \"data\": the JSON value to send to the channel");
                }
                yield new ClientFrame.Publish(id, channel, data);
            }
            default -> throw bad(id, "unknown frame type \"" + type + "\"; expected one of " + TYPES);
        };
    }

    private ClientFrame.Subscribe subscribe(JsonNode frame, String id) throws ProtocolException {
        if (id == null) {
            throw bad(null, "subscribe needs an \"id\": it names the subscription in every answer");
        }
        String table = requiredText(frame, "table", id);
        String source = optionalText(frame, "source", id);
        String after = optionalText(frame, "after", id);
        JsonNode query = frame;
        if (frame.has("after")) {
            ObjectNode copy = ((ObjectNode) frame).deepCopy();
            copy.remove("after");
            query = copy;
        }
        return new ClientFrame.Subscribe(id, source, table, query, after);
    }

    private static String channel(JsonNode frame, String id) throws ProtocolException {
        String channel = requiredText(frame, "channel", id);
        if (!CHANNEL.matcher(channel).matches()) {
            throw bad(
                    id,
                    "\"channel\" must be 1 to 128 letters, digits and _ - . : @ / (e.g. group:42), not \""
                            + (channel.length() > 40 ? channel.substring(0, 40) + "..." : channel) + "\"");
        }
        return channel;
    }

    private static String requiredText(JsonNode frame, String field, String id) throws ProtocolException {
        String value = optionalText(frame, field, id);
        if (value == null || value.isEmpty()) {
            throw bad(id, "\"" + field + "\" is required and must be a non-empty string");
        }
        return value;
    }

    private static String optionalText(JsonNode frame, String field, String id) throws ProtocolException {
        JsonNode node = frame.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw bad(id, "\"" + field + "\" must be a string");
        }
        return node.asText();
    }

    private static ProtocolException bad(String id, String message) {
        return new ProtocolException(ErrorCode.BAD_REQUEST, id, message);
    }
}
