package io.undercurrent.edge.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.undercurrent.bus.BusCodec;
import io.undercurrent.bus.Delivery;
import io.undercurrent.bus.Delta;
import io.undercurrent.bus.DeltaOp;
import io.undercurrent.bus.SubscriptionId;
import io.undercurrent.edge.protocol.ServerFrames;
import io.undercurrent.query.ColumnType;
import io.undercurrent.query.LiveQuery;
import io.undercurrent.query.TableSchema;
import io.undercurrent.rules.TableRef;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The edge's delivery thread for a table every subscriber reads: one delivery batch of {@code batch}
 * changes, each for {@code subscribers} live subscriptions sharing one delta, read from the delivery
 * topic's bytes, dispatched, translated against the rows each holds and written as frames (to a sink
 * that drops them). Each change is an update of one of {@code rows} rows every subscriber holds, so
 * the held rows stay as many however long it runs. The time is per batch. Run it from the repository
 * root (benchmarks/README.md, "JMH"):
 *
 * <pre>
 * mvn -B -pl websocket-edge -am test-compile exec:exec@edge-bench
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 4, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "-Xmx1g")
public class FanOutDispatchBenchmark {

    /** Written where the change offset goes, then overwritten with each batch's own (same width). */
    private static final String OFFSET_PLACEHOLDER = "1000000000000";

    private static final TableSchema SCHEMA = new TableSchema(
            "app",
            "public.todos",
            List.of(
                    new TableSchema.Column("id", ColumnType.INTEGER, "int8"),
                    new TableSchema.Column("title", ColumnType.TEXT, "text"),
                    new TableSchema.Column("owner_id", ColumnType.TEXT, "text")),
            List.of("id"));

    @Param({"1000"})
    public int subscribers;

    @Param({"1", "10"})
    public int batch;

    @Param({"1000"})
    public int rows;

    private DeliveryDispatcher dispatcher;
    /** Per row, a delivery whose change offset is the placeholder. */
    private byte[][] templates;

    private int[] offsetAt;
    private long offset = Long.parseLong(OFFSET_PLACEHOLDER);
    private int nextRow;

    @Setup
    public void setUp() {
        SubscriptionTable table = new SubscriptionTable();
        AtomicLong generations = new AtomicLong();
        ObjectMapper json = new ObjectMapper();
        ServerFrames frames = new ServerFrames();
        List<Map<String, Object>> held = new ArrayList<>();
        for (int r = 0; r < rows; r++) {
            held.add(row(r, "before"));
        }
        List<EdgeSubscription> subs = new ArrayList<>();
        for (int s = 0; s < subscribers; s++) {
            EdgeSubscription sub = new EdgeSubscription(
                    new SubscriptionId("edge-1", java.util.UUID.randomUUID().toString(), "q1"),
                    new LiveQuery("app", "public.todos", null, null, null, null),
                    SCHEMA,
                    new TableRef("app", "public.todos"),
                    json.createObjectNode(),
                    frame -> true,
                    frames,
                    1000,
                    Map.of("sub", "fan"),
                    "v1",
                    0,
                    generations::incrementAndGet);
            table.add(sub);
            sub.onRegistered(new Delivery.Registered(sub.id(), sub.generation(), "router", "v1", List.of(0), 1));
            sub.snapshotTaken(sub.generation(), held, TestPoints.xids("10:10:"));
            subs.add(sub);
        }
        BusCodec codec = new BusCodec();
        templates = new byte[rows][];
        offsetAt = new int[rows];
        for (int r = 0; r < rows; r++) {
            Delta delta = new Delta(DeltaOp.CHANGED, Map.of("id", (long) r), row(r, "after"), null);
            List<Delivery.Target> targets = new ArrayList<>();
            for (EdgeSubscription sub : subs) {
                targets.add(
                        targets.isEmpty()
                                ? new Delivery.Target(sub.id(), sub.generation(), "v1", List.of(delta))
                                : new Delivery.Target(sub.id(), sub.generation(), "v1", List.of(), 0));
            }
            Delivery.Changes changes = new Delivery.Changes("app", 0, offset, "500", "lsn:1", 1, 1, targets, null);
            templates[r] = codec.encode(changes);
            offsetAt[r] = new String(templates[r], StandardCharsets.ISO_8859_1).indexOf(OFFSET_PLACEHOLDER);
        }
        dispatcher = new DeliveryDispatcher(table, codec, s -> {});
    }

    private static Map<String, Object> row(long id, String title) {
        return Map.of("id", id, "title", title + " " + id, "owner_id", "fan");
    }

    @Benchmark
    public void dispatchBatch() {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>(batch);
        for (int i = 0; i < batch; i++) {
            int r = nextRow;
            nextRow = (nextRow + 1) % rows;
            byte[] bytes = templates[r].clone();
            // each change has an offset of its own, or the subscriptions drop it as a replay
            byte[] digits = Long.toString(++offset).getBytes(StandardCharsets.ISO_8859_1);
            System.arraycopy(digits, 0, bytes, offsetAt[r], digits.length);
            records.add(new ConsumerRecord<>("t.edge.edge-1", 0, offset, null, bytes));
        }
        dispatcher.accept(records);
    }
}
