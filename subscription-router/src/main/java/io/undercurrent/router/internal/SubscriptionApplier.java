package io.undercurrent.router.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.undercurrent.bus.BusCodec;
import io.undercurrent.bus.Delivery;
import io.undercurrent.bus.EdgeHeartbeat;
import io.undercurrent.bus.Interner;
import io.undercurrent.bus.SubscriptionId;
import io.undercurrent.bus.SubscriptionRecord;
import io.undercurrent.query.TableSchema;
import io.undercurrent.rules.RuleSet;
import io.undercurrent.rules.TableRef;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the subscription index in step with the subscriptions topic, and tracks which edges are
 * alive. Thread-confined to the router loop.
 */
final class SubscriptionApplier {

    private static final Logger LOG = LoggerFactory.getLogger(SubscriptionApplier.class);

    /** Subscriptions younger than this may still have an edge waiting for their acknowledgement. */
    static final long ACK_WINDOW_MS = 60_000;

    private final SubscriptionIndex index;
    private final QueryCompiler compiler;
    private final BusCodec codec;
    private final long fallbackTtlMs;
    private final Map<String, Long> edgeLastSeen = new HashMap<>();
    private final SchemaInterner schemas = new SchemaInterner();
    private final Interner<Map<String, Object>> claims = new Interner<>(1024);
    private final Interner<JsonNode> queries = new Interner<>(1024);
    /** The TTL each edge announced in its last heartbeat; an edge that sent none yet gets the fallback. */
    private final Map<String, Long> edgeTtl = new HashMap<>();

    /** @param fallbackTtlMs the TTL of an edge whose heartbeat carries none (or that sent no heartbeat yet) */
    SubscriptionApplier(SubscriptionIndex index, QueryCompiler compiler, BusCodec codec, long fallbackTtlMs) {
        this.index = index;
        this.compiler = compiler;
        this.codec = codec;
        this.fallbackTtlMs = fallbackTtlMs;
    }

    /**
     * Applies one record of the subscriptions topic.
     *
     * @return the subscription that was added or replaced and needs an acknowledgement, or null
     */
    ActiveSubscription apply(ConsumerRecord<byte[], byte[]> record, long now) {
        String key = new String(record.key(), StandardCharsets.UTF_8);
        if (key.startsWith(EdgeHeartbeat.KEY_PREFIX)) {
            applyHeartbeat(key.substring(EdgeHeartbeat.KEY_PREFIX.length()), record);
            return null;
        }
        SubscriptionId id;
        try {
            id = SubscriptionId.parse(key);
        } catch (IllegalArgumentException e) {
            LOG.warn("ignoring a record with key '{}' on the subscriptions topic: {}", key, e.getMessage());
            return null;
        }
        if (record.value() == null) {
            index.remove(id);
            return null;
        }
        try {
            SubscriptionRecord sub = interned(codec.decode(record.value(), SubscriptionRecord.class));
            ActiveSubscription active =
                    new ActiveSubscription(sub, compiler.compile(sub), new TableRef(sub.source(), sub.table()));
            index.put(active);
            edgeLastSeen.merge(id.edgeId(), Math.max(record.timestamp(), sub.createdAt()), Math::max);
            return now - sub.createdAt() < ACK_WINDOW_MS ? active : null;
        } catch (RuntimeException e) {
            // The edge validated the query before publishing it, so this is a version skew or a bug:
            // the subscription cannot be served, and its client will time out waiting and be told so.
            index.remove(id);
            LOG.error("cannot register subscription {}: {}", key, e.getMessage());
            return null;
        }
    }

    /**
     * The record, holding the one instance of its schema, claims and query this router keeps: decoding
     * gives each record copies of its own, and many subscriptions share a table, a token or a query
     * (a copy per subscription adds up). Nothing changes them once decoded.
     */
    private SubscriptionRecord interned(SubscriptionRecord sub) {
        TableSchema schema = schemas.intern(sub.schema());
        Map<String, Object> auth = claims.intern(sub.auth());
        JsonNode query = queries.intern(sub.query());
        if (schema == sub.schema() && auth == sub.auth() && query == sub.query()) {
            return sub;
        }
        return new SubscriptionRecord(
                sub.id(), sub.generation(), sub.source(), sub.table(), query, schema, auth, sub.createdAt());
    }

    private void applyHeartbeat(String edgeId, ConsumerRecord<byte[], byte[]> record) {
        if (record.value() == null) {
            int removed = index.removeEdge(edgeId);
            edgeLastSeen.remove(edgeId);
            edgeTtl.remove(edgeId);
            LOG.info("edge '{}' shut down; dropped its {} subscriptions", edgeId, removed);
            return;
        }
        EdgeHeartbeat heartbeat = codec.decode(record.value(), EdgeHeartbeat.class);
        edgeLastSeen.merge(edgeId, Math.max(record.timestamp(), heartbeat.sentAt()), Math::max);
        // The edge decides how long it may stay silent (it heartbeats at a third of it): honour its own TTL.
        if (heartbeat.ttlMs() > 0) {
            edgeTtl.put(edgeId, heartbeat.ttlMs());
        } else {
            edgeTtl.remove(edgeId);
        }
    }

    /** Forgets everything, before the subscriptions topic is read again from its start. */
    void reset() {
        index.clear();
        edgeLastSeen.clear();
        edgeTtl.clear();
    }

    /** Drops the subscriptions of edges not heard from within their TTL. */
    void expireSilentEdges(long now) {
        Iterator<Map.Entry<String, Long>> it = edgeLastSeen.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<String, Long> edge = it.next();
            if (now - edge.getValue() > edgeTtl.getOrDefault(edge.getKey(), fallbackTtlMs)) {
                int removed = index.removeEdge(edge.getKey());
                it.remove();
                edgeTtl.remove(edge.getKey());
                if (removed > 0) {
                    LOG.warn(
                            "edge '{}' silent for {} ms; dropped its {} subscriptions",
                            edge.getKey(),
                            now - edge.getValue(),
                            removed);
                }
            }
        }
    }

    boolean edgeAlive(String edgeId) {
        return edgeLastSeen.containsKey(edgeId);
    }

    /** The acknowledgement that a router now routes changes of {@code partitions} to this subscription. */
    static Delivery.Registered registered(
            ActiveSubscription sub,
            String routerId,
            RuleSet rules,
            List<Integer> partitions,
            int partitionCount,
            Map<Integer, Long> from) {
        return new Delivery.Registered(
                sub.id(), sub.generation(), routerId, rules.version(sub.table()), partitions, partitionCount, from);
    }
}
