package io.undercurrent.bus.channel;

import java.util.Objects;

/**
 * The key of a record on the presence topic: a node's heartbeat ({@code n/<node>}) or one client's
 * presence in one channel ({@code p/<node>/<client>/<channel>}). Node and client ids hold no
 * {@code /}; a channel name may, so it comes last.
 */
public sealed interface PresenceKey {

    String asKey();

    /** The node the record belongs to. */
    String node();

    /** A node's sign of life; its tombstone says the node left cleanly. */
    record Node(String node) implements PresenceKey {
        public Node {
            requirePlain("node", node);
        }

        @Override
        public String asKey() {
            return "n/" + node;
        }
    }

    /** One client present in one channel; its tombstone is the client's leave. */
    record Member(String node, String client, String channel) implements PresenceKey {
        public Member {
            requirePlain("node", node);
            requirePlain("client", client);
            Objects.requireNonNull(channel, "channel");
        }

        @Override
        public String asKey() {
            return "p/" + node + "/" + client + "/" + channel;
        }
    }

    /**
     * Reads a key.
     *
     * @throws IllegalArgumentException when it is not a presence key
     */
    static PresenceKey parse(String key) {
        if (key.startsWith("n/") && key.length() > 2) {
            return new Node(key.substring(2));
        }
        if (key.startsWith("p/")) {
            String[] parts = key.substring(2).split("/", 3);
            if (parts.length == 3 && !parts[2].isEmpty()) {
                return new Member(parts[0], parts[1], parts[2]);
            }
        }
        throw new IllegalArgumentException(
                "'" + key + "' is not a presence key (n/<node> or p/<node>/<client>/<channel>)");
    }

    private static void requirePlain(String what, String id) {
        if (id == null || id.isEmpty() || id.indexOf('/') >= 0) {
            throw new IllegalArgumentException(what + " id '" + id + "' must be non-empty and hold no '/'");
        }
    }
}
