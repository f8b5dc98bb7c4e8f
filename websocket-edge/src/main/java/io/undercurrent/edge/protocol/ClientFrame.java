package io.undercurrent.edge.protocol;

import com.fasterxml.jackson.databind.JsonNode;

/** A frame from the client, parsed and checked for shape (protocol v1). */
public sealed interface ClientFrame {

    /** The client's request id, echoed in the answer; may be null. */
    String id();

    /** {@code {"type":"auth","token":"<JWT>"}}: first frame, or a later token refresh. */
    record Auth(String id, String token) implements ClientFrame {}

    /**
     * {@code {"type":"subscribe","id":"q1","source":"app","table":"public.todos","where":{...},...}}.
     *
     * @param source the source name, or null for the default source
     * @param query  the whole frame but {@code after}; the live-query parser reads where / fields /
     *               orderBy / limit from it
     * @param after  the position to resume from ({@code "after"}), or null for a fresh snapshot
     */
    record Subscribe(String id, String source, String table, JsonNode query, String after) implements ClientFrame {

        /** A subscribe that does not ask to resume. */
        public Subscribe(String id, String source, String table, JsonNode query) {
            this(id, source, table, query, null);
        }
    }

    /** {@code {"type":"unsubscribe","id":"q1"}}. */
    record Unsubscribe(String id) implements ClientFrame {}

    /** {@code {"type":"ping"}}: answered with pong; also keeps an idle connection open. */
    record Ping(String id) implements ClientFrame {}

    /** {@code {"type":"join","channel":"group:42"}}: enter an ephemeral channel. */
    record Join(String id, String channel) implements ClientFrame {}

    /** {@code {"type":"leave","channel":"group:42"}}. */
    record Leave(String id, String channel) implements ClientFrame {}

    /**
     * {@code {"type":"publish","channel":"group:42","data":{...}}}.
     *
     * @param data any JSON value but null
     */
    record Publish(String id, String channel, JsonNode data) implements ClientFrame {}
}
