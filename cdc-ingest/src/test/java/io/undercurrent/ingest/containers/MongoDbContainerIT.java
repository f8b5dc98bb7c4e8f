package io.undercurrent.ingest.containers;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import io.undercurrent.change.ChangeEvent;
import io.undercurrent.embedded.EmbeddedKafka;
import io.undercurrent.ingest.SourceIngestor;
import io.undercurrent.ingest.SourceKind;
import io.undercurrent.ingest.SourceSettings;
import io.undercurrent.ingest.testing.Sources;
import io.undercurrent.ingest.testing.TopicReader;
import io.undercurrent.source.mariadb.testing.Docker;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.MongoDBContainer;

/** MongoDB change streams (single-node replica set) in a container; skipped with a message where no Docker engine runs. */
class MongoDbContainerIT {

    @Test
    void documentChangesArriveWithResumeTokensAndCanonicalValues() throws Exception {
        Docker.assumeAvailable("MongoDB tests");
        try (MongoDBContainer mongo = new MongoDBContainer("mongo:7.0");
                EmbeddedKafka kafka =
                        EmbeddedKafka.start(EmbeddedKafka.Options.of(Files.createTempDirectory("mongo-it-kafka")))) {
            mongo.start();
            String uri = mongo.getReplicaSetUrl("shop");
            SourceSettings source = new SourceSettings(
                    "mongo", SourceKind.MONGODB, null, 0, "shop", null, null, List.of(), Map.of(), uri);
            try (SourceIngestor ingestor = Sources.startStreaming(source, kafka.bootstrapServers());
                    TopicReader changes = new TopicReader(kafka.bootstrapServers(), Sources.TOPICS.changes("mongo"));
                    MongoClient client = MongoClients.create(uri)) {
                var orders = client.getDatabase("shop").getCollection("orders");
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (changes.awaitChangesOrEmpty(Duration.ofMillis(500)).isEmpty() && System.nanoTime() < deadline) {
                    orders.insertOne(new Document("_id", new ObjectId())
                            .append("owner", new Document("name", "alice"))
                            .append("n", 3L));
                }
                ChangeEvent event = changes.changes().get(0);
                assertThat(event.table()).isEqualTo("shop.orders");
                assertThat(event.key().get("_id")).asString().hasSize(24);
                assertThat(event.position()).startsWith("resume:");
                assertThat(event.after())
                        .containsEntry("owner", Map.of("name", "alice"))
                        .containsEntry("n", 3L);
            }
        }
    }
}
