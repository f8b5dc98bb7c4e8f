package io.undercurrent.edge.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.undercurrent.change.ChangeEventCodec;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Writes server frames (protocol v1) as JSON text. Thread-safe. */
public final class ServerFrames {

    private final ObjectMapper json = ChangeEventCodec.canonicalMapper();
    /** The changes body this thread wrote last ({@link #body}). */
    private final ThreadLocal<Body> lastBody = new ThreadLocal<>();

    private record Body(List<Map<String, Object>> changes, String json) {}

    /** Optional capabilities this edge offers, listed in {@code ready}. */
    public static final List<String> FEATURES = List.of("resume");

    public String ready(String id, Long expiresAt) {
        Map<String, Object> f = frame("ready", id);
        f.put("expiresAt", expiresAt);
        f.put("features", FEATURES);
        return write(f);
    }

    /** A resume was possible: the client keeps its rows, and only the changes it missed follow. */
    public String resumed(String id) {
        return write(frame("resumed", id));
    }

    /**
     * @param keyColumns the table's primary key columns, so the client can match later changes
     *                   (which carry {@code key}) to these rows
     */
    public String snapshot(String id, List<String> keyColumns, List<Map<String, Object>> rows, String position) {
        Map<String, Object> f = frame("snapshot", id);
        f.put("keyColumns", keyColumns);
        f.put("rows", rows);
        f.put("position", position);
        return write(f);
    }

    /**
     * The UTF-8 size of a row inside a {@code snapshot} frame, so a reader can tell before sending
     * whether the frame fits a connection's send buffer.
     */
    public int rowBytes(Map<String, Object> row) {
        try {
            return json.writeValueAsBytes(row).length;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a row: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * @param changes each {@code {"op":"added|changed|removed","key":{...},"row":{...}}}; removed
     *                carries the key only. Neither the maps nor their values may change once written:
     *                the body of the last list written on a thread is reused for a list of the same objects
     */
    public String changes(String id, List<Map<String, Object>> changes, String position, long committedAt) {
        String body = body(changes);
        StringBuilder f = new StringBuilder(body.length() + 96 + (position == null ? 0 : position.length()));
        f.append("{\"type\":\"changes\"");
        if (id != null) {
            f.append(",\"id\":");
            quote(id, f);
        }
        f.append(",\"changes\":").append(body).append(",\"position\":");
        if (position == null) {
            f.append("null");
        } else {
            quote(position, f);
        }
        return f.append(",\"committedAt\":").append(committedAt).append('}').toString();
    }

    /**
     * The JSON of a changes list. Subscribers of one table usually receive the very same change
     * objects, one after the other on the delivery thread: the body written last on this thread is
     * written again when the list holds the same maps, or maps whose values are the same objects.
     */
    private String body(List<Map<String, Object>> changes) {
        Body last = lastBody.get();
        if (last != null && sameObjects(last.changes(), changes)) {
            return last.json();
        }
        try {
            String written = json.writeValueAsString(changes);
            lastBody.set(new Body(changes, written));
            return written;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a changes frame: " + e.getOriginalMessage(), e);
        }
    }

    /** True when both lists hold, in order, maps of the same keys in the same order mapped to the same objects. */
    static boolean sameObjects(List<Map<String, Object>> a, List<Map<String, Object>> b) {
        if (a == b) {
            return true;
        }
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            Map<String, Object> x = a.get(i);
            Map<String, Object> y = b.get(i);
            if (x == y) {
                continue;
            }
            if (x == null || y == null || x.size() != y.size()) {
                return false;
            }
            Iterator<Map.Entry<String, Object>> xs = x.entrySet().iterator();
            Iterator<Map.Entry<String, Object>> ys = y.entrySet().iterator();
            while (xs.hasNext()) {
                Map.Entry<String, Object> ex = xs.next();
                Map.Entry<String, Object> ey = ys.next();
                if (!ex.getKey().equals(ey.getKey()) || ex.getValue() != ey.getValue()) {
                    return false;
                }
            }
        }
        return true;
    }

    private static void quote(String text, StringBuilder out) {
        out.append('"')
                .append(JsonStringEncoder.getInstance().quoteAsString(text))
                .append('"');
    }

    public String reset(String id, String reason) {
        Map<String, Object> f = frame("reset", id);
        f.put("reason", reason);
        return write(f);
    }

    public String unsubscribed(String id) {
        return write(frame("unsubscribed", id));
    }

    public String pong(String id) {
        return write(frame("pong", id));
    }

    /**
     * The answer to a {@code join}.
     *
     * @param client   the joining connection's own client id in presence
     * @param presence everyone present, the joiner included: each {@code {"client":...,"info":{...}}}
     */
    public String joined(String id, String channel, String client, List<Map<String, Object>> presence) {
        Map<String, Object> f = frame("joined", id);
        f.put("channel", channel);
        f.put("client", client);
        f.put("presence", presence);
        return write(f);
    }

    /** Clients that joined ({@code joins}) or left ({@code leaves}) a channel the connection is in. */
    public String presence(String channel, String kind, List<Map<String, Object>> members) {
        Map<String, Object> f = frame("presence", null);
        f.put("channel", channel);
        f.put(kind, members);
        return write(f);
    }

    /** An ephemeral message; {@code data} is a JSON value (a Jackson tree). */
    public String message(String channel, Map<String, Object> from, Object data) {
        Map<String, Object> f = frame("message", null);
        f.put("channel", channel);
        f.put("from", from);
        f.put("data", data);
        return write(f);
    }

    public String published(String id, String channel) {
        Map<String, Object> f = frame("published", id);
        f.put("channel", channel);
        return write(f);
    }

    /** @param reason why the server took the client out; null when answering the client's own {@code leave} */
    public String left(String id, String channel, String reason) {
        return left(id, channel, null, reason);
    }

    /**
     * The server took the client out of the channel for a reason a program may act on: {@code code} is
     * one of the error codes ({@code forbidden}: the channel rule no longer lets it join).
     */
    public String left(String id, String channel, ErrorCode code, String reason) {
        Map<String, Object> f = frame("left", id);
        f.put("channel", channel);
        if (code != null) {
            f.put("code", code.wire());
        }
        if (reason != null) {
            f.put("reason", reason);
        }
        return write(f);
    }

    public String error(String id, ErrorCode code, String message) {
        Map<String, Object> f = frame("error", id);
        f.put("code", code.wire());
        f.put("message", message);
        return write(f);
    }

    private static Map<String, Object> frame(String type, String id) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("type", type);
        if (id != null) {
            f.put("id", id);
        }
        return f;
    }

    private String write(Map<String, Object> frame) {
        try {
            return json.writeValueAsString(frame);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(
                    "cannot write a " + frame.get("type") + " frame: " + e.getOriginalMessage(), e);
        }
    }
}
