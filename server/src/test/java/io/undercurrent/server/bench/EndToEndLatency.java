package io.undercurrent.server.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.undercurrent.server.ServerNode;
import io.undercurrent.server.config.ConfigLoader;
import io.undercurrent.server.config.Role;
import io.undercurrent.server.http.DevTokenHandler;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Load generator for the embedded default, end to end: PostgreSQL commit → Debezium → Kafka →
 * router → Kafka → edge → WebSocket client. Prints start-up time, commit-to-client latency
 * percentiles at a steady insert rate with several subscribed clients, and bulk throughput.
 *
 * <pre>mvn -B -q -pl server test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=io.undercurrent.server.bench.EndToEndLatency [-Dexec.args="rate inserts clients bulk"]</pre>
 */
public final class EndToEndLatency {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final boolean DIAG = Boolean.getBoolean("bench.diag");

    public static void main(String[] args) throws Exception {
        int rate = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int inserts = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        int clients = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        int bulk = args.length > 3 ? Integer.parseInt(args[3]) : 10_000;
        Path dir = Files.createTempDirectory("undercurrent-bench");
        long t0 = System.nanoTime();
        ServerNode node = ServerNode.start(
                new ConfigLoader(Map.of(
                                "UNDERCURRENT_EMBEDDED_DATA_DIR", dir.toString(),
                                "UNDERCURRENT_EMBEDDED_POSTGRES_PORT", "0",
                                "UNDERCURRENT_EMBEDDED_KAFKA_PORT", "0",
                                "UNDERCURRENT_HTTP_PORT", "0",
                                "UNDERCURRENT_RULES_DIR", rulesDir()))
                        .load(null),
                Role.ALL,
                Clock.systemUTC());
        System.out.printf(
                "start-up (embedded PostgreSQL + Kafka + all roles, fresh data dir): %d ms%n",
                (System.nanoTime() - t0) / 1_000_000);
        try {
            run(node, rate, inserts, clients, bulk);
        } finally {
            node.close();
        }
        System.exit(0);
    }

    /** The project's rules folder, whether run from the project root or from server/. */
    private static String rulesDir() {
        Path here = Path.of("rules");
        return (Files.isDirectory(here) ? here : Path.of("..", "rules"))
                .toAbsolutePath()
                .normalize()
                .toString();
    }

    private static void run(ServerNode node, int rate, int inserts, int clients, int bulk) throws Exception {
        String url = node.http().address().replace("http://", "ws://") + "/v1/live";
        String token = new DevTokenHandler(node.embedded().devSecret(), Clock.systemUTC()).sign("bench", "admin", 3600);
        Map<String, Long> sentAt = new ConcurrentHashMap<>();
        Histogram latency = new Histogram(60_000_000_000L, 3);
        AtomicLong received = new AtomicLong();
        CountDownLatch ready = new CountDownLatch(clients);
        for (int i = 0; i < clients; i++) {
            connect(url, token, ready, frame -> {
                long now = System.nanoTime();
                for (JsonNode change : frame.path("changes")) {
                    Long at = sentAt.get(change.path("row").path("title").asText());
                    if (at != null) {
                        synchronized (latency) {
                            latency.recordValue(Math.max(0, now - at));
                        }
                    }
                    received.incrementAndGet();
                }
            });
        }
        if (!ready.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("clients did not get their snapshots");
        }
        Histogram toKafka = new Histogram(60_000_000_000L, 3);
        Thread tap = changeTopicTap(node, sentAt, toKafka);
        var app = node.config().sources().get("app");
        try (Connection db = DriverManager.getConnection(app.jdbcUrl(), app.user(), app.password());
                PreparedStatement insert =
                        db.prepareStatement("insert into todos(owner_id, title) values ('bench', ?)")) {
            warmUp(insert, sentAt, received, clients);
            synchronized (toKafka) {
                toKafka.reset();
            }
            latency.reset();
            received.set(0);
            long interval = 1_000_000_000L / rate;
            long next = System.nanoTime();
            for (int i = 0; i < inserts; i++) {
                while (System.nanoTime() < next) {
                    Thread.onSpinWait();
                }
                String title = "lat-" + i;
                insert.setString(1, title);
                insert.executeUpdate(); // autocommit: returns once committed
                sentAt.put(title, System.nanoTime());
                next += interval;
            }
            awaitCount(received, (long) inserts * clients, 60);
            synchronized (toKafka) {
                System.out.printf(
                        "commit -> change topic (a consumer of undercurrent.changes.app): p50 %.2f ms, p99 %.2f ms%n",
                        toKafka.getValueAtPercentile(50) / 1e6, toKafka.getValueAtPercentile(99) / 1e6);
            }
            System.out.printf(
                    "commit -> client latency, %d inserts at %d/s, %d clients (%d deliveries): p50 %.2f ms, p90 %.2f ms, "
                            + "p99 %.2f ms, max %.2f ms%n",
                    inserts,
                    rate,
                    clients,
                    latency.getTotalCount(),
                    latency.getValueAtPercentile(50) / 1e6,
                    latency.getValueAtPercentile(90) / 1e6,
                    latency.getValueAtPercentile(99) / 1e6,
                    latency.getMaxValue() / 1e6);

            received.set(0);
            db.setAutoCommit(false);
            long start = System.nanoTime();
            for (int i = 0; i < bulk; i++) {
                insert.setString(1, "bulk-" + i);
                insert.addBatch();
            }
            insert.executeBatch();
            db.commit();
            long committed = System.nanoTime();
            awaitCount(received, (long) bulk * clients, 300);
            double seconds = (System.nanoTime() - committed) / 1e9;
            System.out.printf(
                    "bulk: %d rows in one transaction, committed in %d ms; all %d deliveries reached %d clients %.2f s after "
                            + "commit (%.0f changes/s through the pipeline, %.0f deliveries/s)%n",
                    bulk,
                    (committed - start) / 1_000_000,
                    (long) bulk * clients,
                    clients,
                    seconds,
                    bulk / seconds,
                    bulk * clients / seconds);
        }
    }

    /** Times each timed insert's arrival on the change topic, to tell ingest's share from the rest. */
    private static Thread changeTopicTap(ServerNode node, Map<String, Long> sentAt, Histogram toKafka) {
        Thread tap = new Thread(
                () -> {
                    Map<String, Object> config = Map.of(
                            "bootstrap.servers",
                            node.config().get(io.undercurrent.server.config.ServerSettings.KAFKA_BOOTSTRAP),
                            "fetch.max.wait.ms",
                            5);
                    try (var consumer = new org.apache.kafka.clients.consumer.KafkaConsumer<byte[], byte[]>(
                            config,
                            new org.apache.kafka.common.serialization.ByteArrayDeserializer(),
                            new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
                        var tp = new org.apache.kafka.common.TopicPartition("undercurrent.changes.app", 0);
                        consumer.assign(List.of(tp));
                        consumer.seekToEnd(List.of(tp));
                        var codec = new io.undercurrent.change.ChangeEventCodec();
                        while (!Thread.currentThread().isInterrupted()) {
                            for (var record : consumer.poll(java.time.Duration.ofMillis(100))) {
                                if (record.headers().lastHeader(io.undercurrent.change.Watermark.HEADER) != null) {
                                    continue;
                                }
                                long now = System.nanoTime();
                                var event = codec.decode(record.value());
                                if (DIAG) {
                                    System.out.printf(
                                            "diag commit->ingest %d ms, ingest->topic %d ms%n",
                                            event.ingestTimeMs() - event.commitTimeMs(),
                                            System.currentTimeMillis() - event.ingestTimeMs());
                                }
                                var after = event.after();
                                Long at = after == null ? null : sentAt.get(String.valueOf(after.get("title")));
                                if (at != null) {
                                    synchronized (toKafka) {
                                        toKafka.recordValue(Math.max(0, now - at));
                                    }
                                }
                            }
                        }
                    } catch (org.apache.kafka.common.errors.InterruptException e) {
                        // done
                    }
                },
                "change-topic-tap");
        tap.setDaemon(true);
        tap.start();
        return tap;
    }

    private static void warmUp(PreparedStatement insert, Map<String, Long> sentAt, AtomicLong received, int clients)
            throws Exception {
        for (int i = 0; i < 200; i++) {
            insert.setString(1, "warm-" + i);
            insert.executeUpdate();
            sentAt.put("warm-" + i, System.nanoTime());
        }
        awaitCount(received, 200L * clients, 60);
    }

    private static void awaitCount(AtomicLong counter, long target, int seconds) throws InterruptedException {
        try {
            Awaitility.await()
                    .atMost(Duration.ofSeconds(seconds))
                    .pollInterval(Duration.ofMillis(5))
                    .until(() -> counter.get() >= target);
        } catch (ConditionTimeoutException e) {
            throw new IllegalStateException(
                    "only " + counter.get() + " of " + target + " deliveries arrived within " + seconds + " s");
        }
    }

    interface FrameHandler {
        void changes(JsonNode frame);
    }

    private static void connect(String url, String token, CountDownLatch ready, FrameHandler handler) {
        HttpClient.newHttpClient()
                .newWebSocketBuilder()
                .buildAsync(URI.create(url), new WebSocket.Listener() {
                    private final StringBuilder text = new StringBuilder();

                    @Override
                    public void onOpen(WebSocket ws) {
                        // one frame at a time: java.net.http refuses a send while another is pending
                        ws.sendText("{\"type\":\"auth\",\"token\":\"" + token + "\"}", true)
                                .thenCompose(w -> w.sendText(
                                        "{\"type\":\"subscribe\",\"id\":\"q\",\"table\":\"public.todos\","
                                                + "\"where\":{\"owner_id\":{\"eq\":\"bench\"}}}",
                                        true));
                        ws.request(1);
                    }

                    @Override
                    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                        text.append(data);
                        if (last) {
                            try {
                                JsonNode frame = JSON.readTree(text.toString());
                                String type = frame.path("type").asText();
                                if ("snapshot".equals(type)) {
                                    ready.countDown();
                                } else if ("changes".equals(type)) {
                                    handler.changes(frame);
                                } else if ("error".equals(type)) {
                                    System.err.println("error frame: " + frame);
                                }
                            } catch (Exception e) {
                                System.err.println("bad frame: " + e);
                            }
                            text.setLength(0);
                        }
                        ws.request(1);
                        return null;
                    }
                })
                .join();
    }

    private EndToEndLatency() {}
}
