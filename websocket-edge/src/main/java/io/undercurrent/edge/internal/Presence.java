package io.undercurrent.edge.internal;

import io.undercurrent.bus.channel.ChannelMessage;
import io.undercurrent.bus.channel.NodeHeartbeat;
import io.undercurrent.bus.channel.PresenceKey;
import io.undercurrent.bus.channel.PresenceRecord;
import io.undercurrent.edge.protocol.ServerFrames;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Who is present in every channel, as this edge node knows it: its own clients (authoritative, told
 * at once) and other nodes' clients (as their records arrive from the presence topic), with the
 * connections of this node listening to each channel. Every change is sent to those listeners as a
 * {@code presence} frame, encoded once per change whatever the number of listeners.
 *
 * <p>Nodes are forgotten, with all their clients, when they are not heard from within the TTL their
 * heartbeats announce: a killed edge's clients leave presence everywhere. Records of this node that
 * come back from the topic are ignored: this node's own state is never older than its echo.
 *
 * <p>Thread-safe: one lock, held briefly (frames are queued, never written, under it). Presence is
 * small next to live queries; shard it by channel if it ever shows in a profile.
 */
final class Presence {

    /** One client present in a channel. */
    record Member(String node, String client, Map<String, Object> info) {

        /** As clients see it: {@code {"client":...,"info":{...}}}. */
        Map<String, Object> wire() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("client", client);
            m.put("info", info);
            return m;
        }
    }

    private final String self;
    private final ServerFrames frames;
    private final long fallbackTtlMs;
    /** channel → member key (node/client) → member, in join order. */
    private final Map<String, Map<String, Member>> members = new HashMap<>();
    /** channel → local client → where its frames go. */
    private final Map<String, Map<String, FrameSink>> listeners = new HashMap<>();

    private final Map<String, Long> lastSeen = new HashMap<>();
    private final Map<String, Long> ttl = new HashMap<>();

    /**
     * @param self          this node's id: records carrying it are this node's own
     * @param fallbackTtlMs how long a node that never sent a heartbeat is kept after its last record
     */
    Presence(String self, ServerFrames frames, long fallbackTtlMs) {
        this.self = self;
        this.frames = frames;
        this.fallbackTtlMs = fallbackTtlMs;
    }

    /**
     * A local client joins: it is present at once, the channel's other listeners are told, and it
     * listens from now on.
     *
     * @return everyone present, the joiner included, as clients see them
     */
    synchronized List<Map<String, Object>> join(
            String channel, String client, Map<String, Object> info, FrameSink sink) {
        return join(channel, client, info, sink, present -> null, Integer.MAX_VALUE);
    }

    /**
     * As {@link #join(String, String, Map, FrameSink)}, and queues the joiner's {@code joined} frame
     * (made by {@code joined} from everyone present) before it starts listening, under the same lock:
     * a change read from another node at that moment reaches the joiner after its {@code joined} frame,
     * never before it (a client starts its view of the channel over at {@code joined}, so a change
     * queued before it would be lost). Refuses a joiner who would make more than {@code maxPresent}
     * clients present (as this node knows them), under the same lock, so that concurrent joins on this
     * node never pass the cap together.
     *
     * @return everyone present, the joiner included; null when the channel is full (nothing changed)
     */
    synchronized List<Map<String, Object>> join(
            String channel,
            String client,
            Map<String, Object> info,
            FrameSink sink,
            Function<List<Map<String, Object>>, String> joined,
            int maxPresent) {
        Member member = new Member(self, client, info);
        Map<String, Member> known = members.get(channel);
        if (known != null && known.size() >= maxPresent && !known.containsKey(key(self, client))) {
            return null;
        }
        Map<String, Member> present = members.computeIfAbsent(channel, c -> new LinkedHashMap<>());
        if (!member.equals(present.put(key(self, client), member))) {
            broadcast(channel, "joins", List.of(member));
        }
        List<Map<String, Object>> everyone = wire(present.values());
        String frame = joined.apply(everyone);
        if (frame != null) {
            sink.send(frame);
        }
        listeners.computeIfAbsent(channel, c -> new HashMap<>()).put(client, sink);
        return everyone;
    }

    /** A local client leaves: it stops listening, and the others are told. */
    synchronized void leave(String channel, String client) {
        Map<String, FrameSink> listening = listeners.get(channel);
        if (listening != null) {
            listening.remove(client);
            if (listening.isEmpty()) {
                listeners.remove(channel);
            }
        }
        Member gone = remove(channel, key(self, client));
        if (gone != null) {
            broadcast(channel, "leaves", List.of(gone));
        }
    }

    /** Another node's client joined (or its record was read at start); {@code at} is the record's time. */
    synchronized void remoteJoin(PresenceRecord record, long at) {
        if (self.equals(record.node())) {
            return;
        }
        seen(record.node(), at);
        Member member = new Member(record.node(), record.client(), record.info());
        Member before = members.computeIfAbsent(record.channel(), c -> new LinkedHashMap<>())
                .put(key(record.node(), record.client()), member);
        if (!member.equals(before)) {
            if (before != null) {
                broadcast(record.channel(), "leaves", List.of(before));
            }
            broadcast(record.channel(), "joins", List.of(member));
        }
    }

    /** Another node's client left (its record's tombstone). */
    synchronized void remoteLeave(PresenceKey.Member key, long at) {
        if (self.equals(key.node())) {
            return;
        }
        seen(key.node(), at);
        Member gone = remove(key.channel(), key(key.node(), key.client()));
        if (gone != null) {
            broadcast(key.channel(), "leaves", List.of(gone));
        }
    }

    synchronized void heartbeat(NodeHeartbeat heartbeat, long at) {
        if (self.equals(heartbeat.node())) {
            return;
        }
        seen(heartbeat.node(), Math.max(at, heartbeat.sentAt()));
        if (heartbeat.ttlMs() > 0) {
            ttl.put(heartbeat.node(), heartbeat.ttlMs());
        }
    }

    /** A node left cleanly (its heartbeat's tombstone): its clients leave. */
    synchronized List<PresenceKey.Member> nodeLeft(String node) {
        if (self.equals(node)) {
            return List.of();
        }
        lastSeen.remove(node);
        ttl.remove(node);
        return dropNode(node);
    }

    /** What {@link #expire} forgot: the silent nodes, and their clients' presence keys. */
    record Expired(List<String> nodes, List<PresenceKey.Member> members) {}

    /**
     * Forgets the nodes not heard from within their TTL, with their clients (told to listeners as
     * leaves).
     *
     * @return what was dropped, for the caller to remove from the topic
     */
    synchronized Expired expire(long now) {
        List<String> nodes = new ArrayList<>();
        List<PresenceKey.Member> dropped = new ArrayList<>();
        Iterator<Map.Entry<String, Long>> it = lastSeen.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<String, Long> node = it.next();
            if (now - node.getValue() > ttl.getOrDefault(node.getKey(), fallbackTtlMs)) {
                it.remove();
                ttl.remove(node.getKey());
                nodes.add(node.getKey());
                dropped.addAll(dropNode(node.getKey()));
            }
        }
        return new Expired(nodes, dropped);
    }

    /** Whether {@code node} is known to be alive (heard from within its TTL). */
    synchronized boolean alive(String node) {
        return self.equals(node) || lastSeen.containsKey(node);
    }

    /** Sends a message to the channel's local listeners but its publisher; encoded once. */
    void deliver(ChannelMessage message) {
        List<FrameSink> targets = new ArrayList<>();
        synchronized (this) {
            Map<String, FrameSink> listening = listeners.get(message.channel());
            if (listening == null) {
                return;
            }
            listening.forEach((client, sink) -> {
                if (!(self.equals(message.node()) && client.equals(message.client()))) {
                    targets.add(sink);
                }
            });
        }
        if (targets.isEmpty()) {
            return;
        }
        String frame = frames.message(
                message.channel(), new Member(message.node(), message.client(), message.info()).wire(), message.data());
        targets.forEach(sink -> sink.send(frame));
    }

    /** This node's own members, to announce again after other nodes may have forgotten them. */
    synchronized List<PresenceRecord> local(long now) {
        List<PresenceRecord> mine = new ArrayList<>();
        members.forEach((channel, present) -> present.values().forEach(m -> {
            if (self.equals(m.node())) {
                mine.add(new PresenceRecord(self, m.client(), channel, m.info(), now));
            }
        }));
        return mine;
    }

    /** Everyone present in {@code channel}, as clients see them. */
    synchronized List<Map<String, Object>> present(String channel) {
        Map<String, Member> present = members.get(channel);
        return present == null ? List.of() : wire(present.values());
    }

    private List<PresenceKey.Member> dropNode(String node) {
        List<PresenceKey.Member> dropped = new ArrayList<>();
        Iterator<Map.Entry<String, Map<String, Member>>> channels =
                members.entrySet().iterator();
        Map<String, List<Member>> gone = new LinkedHashMap<>();
        while (channels.hasNext()) {
            Map.Entry<String, Map<String, Member>> channel = channels.next();
            Iterator<Member> it = channel.getValue().values().iterator();
            while (it.hasNext()) {
                Member m = it.next();
                if (m.node().equals(node)) {
                    it.remove();
                    gone.computeIfAbsent(channel.getKey(), c -> new ArrayList<>())
                            .add(m);
                    dropped.add(new PresenceKey.Member(node, m.client(), channel.getKey()));
                }
            }
            if (channel.getValue().isEmpty()) {
                channels.remove();
            }
        }
        gone.forEach((channel, left) -> broadcast(channel, "leaves", left));
        return dropped;
    }

    private void seen(String node, long at) {
        lastSeen.merge(node, at, Math::max);
    }

    private Member remove(String channel, String key) {
        Map<String, Member> present = members.get(channel);
        if (present == null) {
            return null;
        }
        Member gone = present.remove(key);
        if (present.isEmpty()) {
            members.remove(channel);
        }
        return gone;
    }

    private void broadcast(String channel, String kind, List<Member> changed) {
        Map<String, FrameSink> listening = listeners.get(channel);
        if (listening == null || listening.isEmpty()) {
            return;
        }
        List<Map<String, Object>> wire = wire(changed);
        String frame = frames.presence(channel, kind, wire);
        listening.values().forEach(sink -> sink.send(frame));
    }

    private static List<Map<String, Object>> wire(Iterable<Member> members) {
        List<Map<String, Object>> wire = new ArrayList<>();
        members.forEach(m -> wire.add(m.wire()));
        return wire;
    }

    private static String key(String node, String client) {
        return node + "/" + client;
    }
}
