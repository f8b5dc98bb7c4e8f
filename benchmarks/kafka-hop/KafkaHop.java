// One Kafka hop timed alone: a producer configured as ingest's and the router's (acks=all, idempotent,
// linger 0) sends one small record every --gap-ms to a fresh one-partition topic, and a consumer
// outside any group (as the edge's) reads it; prints send → acknowledged and send → read, p50/p90/p99.
// Starts its own embedded broker (the server's single-node defaults) unless --bootstrap names one.
//
//   java -cp server/target/undercurrent.jar benchmarks/kafka-hop/KafkaHop.java [--bootstrap HOST:PORT]
//        [--count 100] [--gap-ms 50] [--warm 0] [--fetch-max-wait-ms 100] [--poll-ms 100]
//        [p.PRODUCER_KEY=VALUE ...] [c.CONSUMER_KEY=VALUE ...]
//
// --warm N sends N records flat out first (not timed), so the JIT has compiled both clients' paths.
import io.undercurrent.embedded.EmbeddedKafka;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

public class KafkaHop {
    public static void main(String[] args) throws Exception {
        String bootstrap = null;
        int count = 100, warm = 0, fetchMaxWait = 100;
        long gapMs = 50, pollMs = 100;
        Map<String, Object> producer = new HashMap<>(Map.of("acks", "all", "enable.idempotence", true, "linger.ms", 0));
        Map<String, Object> consumer = new HashMap<>(Map.of("enable.auto.commit", false));
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--bootstrap" -> bootstrap = args[++i];
                case "--count" -> count = Integer.parseInt(args[++i]);
                case "--gap-ms" -> gapMs = Long.parseLong(args[++i]);
                case "--warm" -> warm = Integer.parseInt(args[++i]);
                case "--fetch-max-wait-ms" -> fetchMaxWait = Integer.parseInt(args[++i]);
                case "--poll-ms" -> pollMs = Long.parseLong(args[++i]);
                default -> {
                    String[] kv = args[i].split("=", 2);
                    if (kv.length != 2 || !(kv[0].startsWith("p.") || kv[0].startsWith("c."))) {
                        throw new IllegalArgumentException("unknown argument " + args[i] + " (see the comment at the top)");
                    }
                    (kv[0].startsWith("p.") ? producer : consumer).put(kv[0].substring(2), kv[1]);
                }
            }
        }
        consumer.put("fetch.max.wait.ms", fetchMaxWait);
        EmbeddedKafka broker = null;
        if (bootstrap == null) {
            broker = EmbeddedKafka.start(EmbeddedKafka.Options.of(Files.createTempDirectory("kafka-hop")).withPort(0));
            bootstrap = broker.bootstrapServers();
        }
        try {
            run(bootstrap, count, warm, gapMs, pollMs, producer, consumer);
        } finally {
            if (broker != null) {
                broker.close();
            }
        }
    }

    private static void run(String bootstrap, int count, int warm, long gapMs, long pollMs,
            Map<String, Object> producerConfig, Map<String, Object> consumerConfig) throws Exception {
        String topic = "kafka-hop-" + System.nanoTime();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
        }
        producerConfig.put("bootstrap.servers", bootstrap);
        consumerConfig.put("bootstrap.servers", bootstrap);
        List<Double> acked = Collections.synchronizedList(new ArrayList<>());
        List<Double> read = Collections.synchronizedList(new ArrayList<>());
        try (KafkaProducer<byte[], byte[]> producer =
                        new KafkaProducer<>(producerConfig, new ByteArraySerializer(), new ByteArraySerializer());
                KafkaConsumer<byte[], byte[]> consumer =
                        new KafkaConsumer<>(consumerConfig, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            TopicPartition tp = new TopicPartition(topic, 0);
            consumer.assign(List.of(tp));
            consumer.seekToEnd(List.of(tp));
            consumer.position(tp);
            CountDownLatch left = new CountDownLatch(count + warm + 1);
            Thread reader = new Thread(() -> {
                while (left.getCount() > 0) {
                    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(pollMs))) {
                        long sent = Long.parseLong(new String(r.value()));
                        if (sent != 0) {
                            read.add((System.nanoTime() - sent) / 1e6);
                        }
                        left.countDown();
                    }
                }
            });
            reader.start();
            for (int i = 0; i < warm; i++) {
                producer.send(new ProducerRecord<>(topic, "0".getBytes()));
            }
            producer.send(new ProducerRecord<>(topic, "0".getBytes())).get();
            Thread.sleep(1000);
            for (int i = 0; i < count; i++) {
                long sent = System.nanoTime();
                producer.send(
                        new ProducerRecord<>(topic, Long.toString(sent).getBytes()),
                        (metadata, error) -> acked.add((System.nanoTime() - sent) / 1e6));
                Thread.sleep(gapMs);
            }
            left.await(30, TimeUnit.SECONDS);
            reader.join();
        }
        System.out.printf("%d records, one every %d ms, after %d warm-up records; fetch.max.wait.ms %s, poll %d ms%n",
                count, gapMs, warm, consumerConfig.get("fetch.max.wait.ms"), pollMs);
        print("send → acknowledged", acked);
        print("send → read", read);
    }

    private static void print(String name, List<Double> values) {
        List<Double> s = new ArrayList<>(values);
        Collections.sort(s);
        if (s.isEmpty()) {
            System.out.println(name + ": none");
            return;
        }
        System.out.printf("%-20s p50 %.2f  p90 %.2f  p99 %.2f  max %.2f ms%n", name,
                s.get(s.size() / 2), s.get((int) (s.size() * 0.9)), s.get(Math.min(s.size() - 1, (int) (s.size() * 0.99))),
                s.get(s.size() - 1));
    }
}
