package io.undercurrent.router.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.undercurrent.bus.BusCodec;
import io.undercurrent.bus.Delivery;
import io.undercurrent.bus.Delta;
import io.undercurrent.bus.SubscriptionId;
import io.undercurrent.bus.SubscriptionRecord;
import io.undercurrent.change.ChangeEvent;
import io.undercurrent.change.Topics;
import io.undercurrent.query.ColumnType;
import io.undercurrent.query.TableSchema;
import io.undercurrent.rules.RuleSet;
import io.undercurrent.rules.RulesEngine;
import io.undercurrent.rules.RulesListener;
import io.undercurrent.rules.RulesOptions;
import io.undercurrent.rules.TableRef;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Routes changes through {@link ChangeRouter} over an index of subscriptions and reads the deliveries
 * back as the edge does (decoded, shared deltas resolved): what each subscription received.
 */
final class RoutedDeltas {

    static final TableRef TODOS = new TableRef("app", "public.todos");
    static final TableSchema SCHEMA = new TableSchema(
            "app",
            "public.todos",
            List.of(
                    new TableSchema.Column("id", ColumnType.INTEGER, "int8"),
                    new TableSchema.Column("owner", ColumnType.TEXT, "text"),
                    new TableSchema.Column("team", ColumnType.TEXT, "text"),
                    new TableSchema.Column("done", ColumnType.BOOLEAN, "bool"),
                    new TableSchema.Column("title", ColumnType.TEXT, "text"),
                    new TableSchema.Column("note", ColumnType.TEXT, "text")),
            List.of("id"));

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Topics TOPICS = new Topics("t");

    final SubscriptionIndex index = new SubscriptionIndex();
    private final BusCodec codec = new BusCodec();
    private final ChangeRouter router = new ChangeRouter(index, TOPICS, codec);
    private long offset;

    /** Rules of {@code public.todos} (source {@code app}) from the text of one rule file. */
    static RuleSet rules(Path dir, String yaml) {
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("todos.yaml"), "table: public.todos\n" + yaml);
            try (RulesEngine engine = RulesEngine.start(new RulesOptions(dir, "app", false), new RulesListener() {})) {
                return engine.current();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A subscription as the router reads it from the subscriptions topic (compiled from its record). */
    static ActiveSubscription subscription(SubscriptionId id, long generation, Map<String, Object> auth, String frame) {
        try {
            SubscriptionRecord record = new SubscriptionRecord(
                    id, generation, "app", "public.todos", JSON.readTree(frame), SCHEMA, auth, 0);
            return new ActiveSubscription(record, new QueryCompiler().compile(record), TODOS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    ActiveSubscription subscribe(SubscriptionId id, Map<String, Object> auth, String frame) {
        ActiveSubscription sub = subscription(id, 1, auth, frame);
        index.put(sub);
        return sub;
    }

    /** What each subscription received from {@code change}: its deltas as the edge resolves them. */
    Map<SubscriptionId, List<Delta>> route(ChangeEvent change, RuleSet rules) {
        List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>();
        ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>("t.changes.app", 0, offset++, null, new byte[0]);
        router.route(record, change, rules, 0, out);
        Map<SubscriptionId, List<Delta>> received = new HashMap<>();
        for (ProducerRecord<byte[], byte[]> delivery : out) {
            Delivery.Changes changes = ((Delivery.Changes) codec.decode(delivery.value(), Delivery.class)).resolved();
            for (Delivery.Target target : changes.targets()) {
                if (!delivery.topic().equals(TOPICS.edge(target.id().edgeId()))) {
                    throw new AssertionError(target.id() + " delivered on " + delivery.topic());
                }
                if (received.put(target.id(), target.deltas()) != null) {
                    throw new AssertionError(target.id() + " targeted twice by one change");
                }
            }
        }
        return received;
    }

    static Map<String, Object> claims(Object... pairs) {
        Map<String, Object> claims = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            claims.put((String) pairs[i], pairs[i + 1]);
        }
        return claims;
    }
}
