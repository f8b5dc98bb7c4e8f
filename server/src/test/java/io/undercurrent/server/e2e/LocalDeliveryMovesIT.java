package io.undercurrent.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.undercurrent.bus.kafka.LocalDeliveries;
import io.undercurrent.change.Topics;
import io.undercurrent.server.ServerNode;
import io.undercurrent.server.config.Role;
import io.undercurrent.server.config.ServerSettings;
import io.undercurrent.server.http.DevTokenHandler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Guarantees 1 and 5 while change partitions move between a router that hands its edge's deliveries
 * over directly (same process, role all) and a router in another node that delivers to that edge
 * through Kafka: rows updated without pause while the second router joins and leaves twice reach the
 * client with every update, in commit order, none lost or overtaken on either path.
 */
class LocalDeliveryMovesIT {

    private static final int ROWS = 4;

    @TempDir
    Path dataDir;

    @TempDir
    Path rulesDir;

    @BeforeEach
    void rules() throws Exception {
        Files.copy(Path.of("..", "rules", "todos.yaml"), rulesDir.resolve("todos.yaml"));
    }

    @Test
    void everyUpdateArrivesInOrderWhilePartitionsMoveBetweenTheLocalAndAnotherRouter() throws Exception {
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicInteger rounds = new AtomicInteger();
        AtomicReference<Throwable> writerFailure = new AtomicReference<>();
        try (ServerNode all = SplitRoles.start(
                        SplitRoles.infrastructure(
                                dataDir,
                                rulesDir,
                                Map.of(
                                        "UNDERCURRENT_KAFKA_CHANGE_PARTITIONS", "4",
                                        "UNDERCURRENT_EDGE_ID", "e1",
                                        "UNDERCURRENT_ROUTER_ID", "r1")),
                        Role.ALL);
                LiveClient client = LiveClient.connect(SplitRoles.liveUrl(all));
                Connection db = SplitRoles.database(all);
                Statement st = db.createStatement()) {
            List<Long> ids = new ArrayList<>();
            for (int i = 0; i < ROWS; i++) {
                try (ResultSet rs =
                        st.executeQuery("insert into todos(owner_id, title) values ('mover', 't0') returning id")) {
                    rs.next();
                    ids.add(rs.getLong(1));
                }
            }
            String token =
                    new DevTokenHandler(all.embedded().devSecret(), Clock.systemUTC()).sign("mover", "user", 600);
            client.authenticate(token, "a");
            assertThat(client.subscribeToTodosOf("mover", "q").path("rows")).hasSize(ROWS);

            Thread writer = new Thread(() -> {
                try (Connection w = SplitRoles.database(all);
                        Statement ws = w.createStatement()) {
                    for (int k = 1; writing.get(); k++) {
                        for (long id : ids) {
                            ws.executeUpdate("update todos set title = 't" + k + "' where id = " + id);
                        }
                        rounds.set(k);
                    }
                } catch (Throwable e) {
                    writerFailure.set(e);
                }
            });
            writer.start();
            try {
                for (int move = 0; move < 2; move++) {
                    awaitRounds(rounds, 30);
                    try (ServerNode other = SplitRoles.start(
                            SplitRoles.joining(all, rulesDir, Map.of("UNDERCURRENT_ROUTER_ID", "r2-" + move)),
                            Role.ROUTER)) {
                        await().atMost(Duration.ofSeconds(60))
                                .until(() -> SplitRoles.health(other)
                                                .path("router")
                                                .path("partitions")
                                                .asInt()
                                        > 0);
                        awaitRounds(rounds, 30); // written while the other router delivers through Kafka
                    } // it leaves: its partitions come back to the local router
                    await().atMost(Duration.ofSeconds(60))
                            .until(() -> SplitRoles.health(all)
                                            .path("router")
                                            .path("partitions")
                                            .asInt()
                                    == 4);
                }
                awaitRounds(rounds, 30);
            } finally {
                writing.set(false);
                writer.join(30_000);
            }
            assertThat(writerFailure.get()).isNull();
            int last = rounds.get();

            Map<Long, List<Integer>> seen = new LinkedHashMap<>();
            ids.forEach(id -> seen.put(id, new ArrayList<>()));
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                JsonNode frame;
                while ((frame = client.poll()) != null) {
                    collect(frame, seen);
                }
                return seen.values().stream()
                        .allMatch(titles -> !titles.isEmpty() && titles.get(titles.size() - 1) == last);
            });
            for (Map.Entry<Long, List<Integer>> row : seen.entrySet()) {
                List<Integer> expected = new ArrayList<>();
                for (int k = 1; k <= last; k++) {
                    expected.add(k);
                }
                assertThat(row.getValue())
                        .as("row %d: every update, in commit order", row.getKey())
                        .isEqualTo(expected);
            }
            assertThat(all.metrics()
                            .registry()
                            .get("undercurrent.router.local.deliveries")
                            .functionCounter()
                            .count())
                    .as("the local router handed deliveries over directly")
                    .isPositive();
            assertThat(deliveriesOnTopic(all, "e1"))
                    .as("the other router delivered to the same edge through Kafka")
                    .isPositive();
        }
    }

    private static void awaitRounds(AtomicInteger rounds, int more) {
        int target = rounds.get() + more;
        await().atMost(Duration.ofSeconds(60)).until(() -> rounds.get() >= target);
    }

    private static void collect(JsonNode frame, Map<Long, List<Integer>> seen) {
        if (!"changes".equals(frame.path("type").asText())) {
            return;
        }
        for (JsonNode change : frame.path("changes")) {
            long id = change.path("row")
                    .path("id")
                    .asLong(change.path("key").path("id").asLong());
            String title = change.path("row").path("title").asText("");
            if (seen.containsKey(id) && title.startsWith("t")) {
                seen.get(id).add(Integer.parseInt(title.substring(1)));
            }
        }
    }

    /** Records on the edge's delivery topic that are deliveries (not fences). */
    private static long deliveriesOnTopic(ServerNode node, String edgeId) {
        String topic = new Topics(node.config().get(ServerSettings.TOPIC_PREFIX)).edge(edgeId);
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, node.config().get(ServerSettings.KAFKA_BOOTSTRAP));
        Properties properties = new Properties();
        properties.putAll(props);
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(properties, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            TopicPartition tp = new TopicPartition(topic, 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long end = consumer.endOffsets(List.of(tp)).get(tp);
            long count = 0;
            while (consumer.position(tp) < end) {
                for (var record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.headers().lastHeader(LocalDeliveries.FENCE_HEADER) == null) {
                        count++;
                    }
                }
            }
            return count;
        }
    }
}
