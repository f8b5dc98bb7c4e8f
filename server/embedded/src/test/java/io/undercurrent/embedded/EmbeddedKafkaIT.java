package io.undercurrent.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One broker for the whole class: a start costs seconds. */
class EmbeddedKafkaIT {

    @TempDir
    static Path logDir;

    static EmbeddedKafka kafka;

    @BeforeAll
    static void startBroker() {
        kafka = EmbeddedKafka.start(EmbeddedKafka.Options.of(logDir));
    }

    @AfterAll
    static void stopBroker() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void recordsAndCommittedOffsetsSurviveARestartOnTheSameDirAndPort() throws Exception {
        String topic = "restart-test";
        TopicPartition partition = new TopicPartition(topic, 0);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        try (KafkaProducer<String, String> producer = producer()) {
            for (int i = 0; i < 5; i++) {
                producer.send(new ProducerRecord<>(topic, "k" + i, "v" + i)).get(30, TimeUnit.SECONDS);
            }
        }
        try (KafkaConsumer<String, String> consumer = consumer("restart-group")) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            assertThat(pollValues(consumer, 5)).containsExactly("v0", "v1", "v2", "v3", "v4");
            consumer.commitSync(Map.of(partition, new OffsetAndMetadata(3)), Duration.ofSeconds(30));
        }
        int port = kafka.port();
        String clusterId = kafka.clusterId();

        kafka.stop();
        assertThat(kafka.isRunning()).isFalse();
        kafka.start();

        assertThat(kafka.port()).isEqualTo(port);
        assertThat(kafka.clusterId()).isEqualTo(clusterId);
        try (KafkaConsumer<String, String> consumer = consumer("restart-group")) {
            assertThat(consumer.committed(Set.of(partition), Duration.ofSeconds(30))
                            .get(partition)
                            .offset())
                    .isEqualTo(3);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            assertThat(pollValues(consumer, 5)).containsExactly("v0", "v1", "v2", "v3", "v4");
        }

        // What the embedded default does across server restarts: a new instance, same dir and port.
        kafka.close();
        kafka = EmbeddedKafka.start(EmbeddedKafka.Options.of(logDir).withPort(port));
        assertThat(kafka.clusterId()).isEqualTo(clusterId);
        try (KafkaConsumer<String, String> consumer = consumer("restart-group")) {
            consumer.subscribe(List.of(topic));
            assertThat(pollValues(consumer, 2)).containsExactly("v3", "v4");
        }
    }

    @Test
    void aBusyPortIsReportedWithThePortAndTheOption(@TempDir Path otherDir) {
        assertThatThrownBy(() ->
                        EmbeddedKafka.start(EmbeddedKafka.Options.of(otherDir).withPort(kafka.port())))
                .isInstanceOf(EmbeddedException.class)
                .hasMessageContaining("port " + kafka.port())
                .hasMessageContaining("EmbeddedKafka.Options.withPort");
    }

    @Test
    void aPickedPortTakenBeforeTheBrokerBindsItIsPickedAgain(@TempDir Path otherDir) {
        // The first port picked is the running broker's own, as if another socket of this process had
        // taken it between the pick and the bind; the next pick is free.
        java.util.Iterator<Integer> picks =
                List.of(kafka.port(), Ports.pickFree()).iterator();
        try (EmbeddedKafka second = EmbeddedKafka.start(EmbeddedKafka.Options.of(otherDir), picks::next)) {
            assertThat(second.port()).isNotEqualTo(kafka.port());
            assertThat(picks.hasNext()).isFalse();
        }
    }

    @Test
    void topicsAreNotCreatedByUse() {
        try (KafkaProducer<String, String> producer = producer(Map.of(ProducerConfig.MAX_BLOCK_MS_CONFIG, 1_000))) {
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>("never-created", "k", "v"))
                            .get(10, TimeUnit.SECONDS))
                    .hasRootCauseInstanceOf(UnknownTopicOrPartitionException.class);
        }
    }

    private static KafkaProducer<String, String> producer() {
        return producer(Map.of());
    }

    private static KafkaProducer<String, String> producer(Map<String, Object> extra) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.putAll(extra);
        return new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
    }

    private static KafkaConsumer<String, String> consumer(String group) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        return new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
    }

    /** Polls until {@code count} values arrived; poll blocks, so no sleeping is needed. */
    private static List<String> pollValues(KafkaConsumer<String, String> consumer, int count) {
        List<String> values = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (values.size() < count && System.nanoTime() < deadline) {
            for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                values.add(r.value());
            }
        }
        return values;
    }
}
