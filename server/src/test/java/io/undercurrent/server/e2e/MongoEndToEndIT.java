package io.undercurrent.server.e2e;

import static io.undercurrent.server.e2e.LiveClient.mentions;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.CreateCollectionOptions;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import com.mongodb.client.model.ValidationOptions;
import io.undercurrent.source.mariadb.testing.Docker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.containers.MongoDBContainer;

/**
 * A live query on a MongoDB collection through every real component: MongoDB 7 (a single-node replica
 * set in a container, its change stream read by Debezium in ingest), an in-process Kafka broker, the
 * router, rules for the collection, the WebSocket edge reading snapshots with the MongoDB reader
 * (stitched by cluster time), and a real WebSocket client. The subscription filters on a dotted path
 * ({@code meta.team}); a field mask reads the row ({@code row.owner}). Skipped with a message where no
 * Docker engine runs.
 */
class MongoEndToEndIT {

    private static final String WHAT = "MongoEndToEndIT (MongoDB replica set, ingest, Kafka, router, edge)";

    @TempDir
    static Path dataDir;

    @TempDir
    static Path rulesDir;

    private static MongoDBContainer mongo;
    private static MongoClient client;
    private static JoinedServer server;

    @BeforeAll
    static void start() throws Exception {
        if (!Docker.available()) {
            return; // each test skips, saying why
        }
        mongo = new MongoDBContainer("mongo:7.0");
        mongo.start();
        String uri = mongo.getReplicaSetUrl("shop");
        client = MongoClients.create(uri);
        MongoDatabase shop = client.getDatabase("shop");
        // MongoDB has no catalog: the validator is the collection's schema (meta.team becomes a dotted column).
        Document schema = Document.parse("""
                {"$jsonSchema": {"bsonType": "object", "required": ["owner", "title"], "properties": {
                  "_id": {"bsonType": "objectId"},
                  "owner": {"bsonType": "string"},
                  "title": {"bsonType": "string"},
                  "note": {"bsonType": "string"},
                  "n": {"bsonType": "long"},
                  "meta": {"bsonType": "object", "properties": {"team": {"bsonType": "string"}}}
                }}}""");
        shop.createCollection(
                "orders", new CreateCollectionOptions().validationOptions(new ValidationOptions().validator(schema)));
        shop.createCollection("probe");
        orders().insertMany(List.of(
                order("alice", "alice-red", "red"),
                order("bob", "bob-red", "red"),
                order("alice", "alice-blue", "blue")));
        Files.writeString(rulesDir.resolve("orders.yaml"), """
                source: docs
                table: shop.orders
                read: "auth.role == 'user' || auth.role == 'admin'"
                fields:
                  note: "row.owner == auth.sub"
                ---
                source: docs
                table: shop.probe
                read: "auth.role == 'admin'"
                """);
        server = JoinedServer.start(
                Map.of(
                        "UNDERCURRENT_SOURCES_DOCS_KIND", "mongodb",
                        "UNDERCURRENT_SOURCES_DOCS_CONNECTION_STRING", uri,
                        "UNDERCURRENT_SOURCES_DOCS_DATABASE", "shop"),
                dataDir,
                rulesDir);
        awaitCapture();
    }

    /**
     * Ingest's first start streams from the then current point, and the MongoDB reader keeps no marker
     * of it: a change committed before the stream opened would reach no client. So the tests begin once
     * a write demonstrably reaches a subscriber.
     */
    private static void awaitCapture() throws Exception {
        try (LiveClient admin = server.signedIn("root", "admin")) {
            admin.sendJson(Map.of("type", "subscribe", "id", "p", "source", "docs", "table", "shop.probe"));
            admin.await("snapshot", "p");
            MongoCollection<Document> probe = client.getDatabase("shop").getCollection("probe");
            await().atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> {
                        probe.insertOne(new Document("_id", new ObjectId()));
                        while (admin.poll() != null) {
                            // drained into seen()
                        }
                        return admin.seen().stream()
                                .anyMatch(f -> "changes".equals(f.path("type").asText()));
                    });
        }
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (server != null) {
                server.close();
            }
        } finally {
            if (client != null) {
                client.close();
            }
            if (mongo != null) {
                mongo.stop();
            }
        }
    }

    @BeforeEach
    void needsDocker() {
        Docker.assumeAvailable(WHAT);
    }

    private static MongoCollection<Document> orders() {
        return client.getDatabase("shop").getCollection("orders");
    }

    private static Document order(String owner, String title, String team) {
        return new Document("_id", new ObjectId())
                .append("owner", owner)
                .append("title", title)
                .append("note", "note for " + title)
                .append("n", 1L)
                .append("meta", new Document("team", team));
    }

    private static JsonNode removal(LiveClient client, String id) {
        JsonNode frame = client.await(
                f -> "changes".equals(f.path("type").asText())
                        && "removed".equals(f.path("changes").get(0).path("op").asText())
                        && id.equals(
                                f.path("changes").get(0).path("key").path("_id").asText()),
                Duration.ofSeconds(60));
        return frame.path("changes").get(0);
    }

    @Test
    void aDottedPathFilterGivesTheSnapshotThenAddedChangedAndRemovedWithMasksByOwner() throws Exception {
        try (LiveClient alice = server.signedIn("alice", "user")) {
            alice.sendJson(Map.of(
                    "type",
                    "subscribe",
                    "id",
                    "red",
                    "source",
                    "docs",
                    "table",
                    "shop.orders",
                    "where",
                    Map.of("meta.team", Map.of("eq", "red"))));
            JsonNode snapshot = alice.await("snapshot", "red");
            assertThat(snapshot.path("keyColumns").toString()).isEqualTo("[\"_id\"]");
            assertThat(snapshot.path("rows")).hasSize(2);
            JsonNode own = null;
            JsonNode bobs = null;
            for (JsonNode row : snapshot.path("rows")) {
                assertThat(row.path("meta").path("team").asText()).isEqualTo("red");
                if (row.path("owner").asText().equals("alice")) {
                    own = row;
                } else {
                    bobs = row;
                }
            }
            assertThat(own.path("note").asText()).as("her own note").isEqualTo("note for alice-red");
            assertThat(bobs.has("note")).as("bob's note, masked: %s", bobs).isFalse();

            // Added: a red order of carol's (its note masked for alice); a blue one never arrives.
            Document carols = order("carol", "carol-red-new", "red");
            orders().insertOne(order("alice", "alice-blue-new", "blue"));
            orders().insertOne(carols);
            JsonNode added = alice.awaitChange("added", "carol-red-new");
            String carolsId = carols.getObjectId("_id").toHexString();
            assertThat(added.path("key").path("_id").asText()).isEqualTo(carolsId);
            assertThat(added.path("row").has("note")).isFalse();

            // Changed: her own order, the note still hers to see.
            String ownId = own.path("_id").asText();
            orders().updateOne(
                            Filters.eq("_id", new ObjectId(ownId)),
                            Updates.combine(
                                    Updates.set("title", "alice-red-renamed"), Updates.set("note", "new note")));
            JsonNode changed = alice.awaitChange("changed", "alice-red-renamed");
            assertThat(changed.path("key").path("_id").asText()).isEqualTo(ownId);
            assertThat(changed.path("row").path("note").asText()).isEqualTo("new note");

            // Removed: bob's order moves to another team (out of the filter), carol's is deleted.
            String bobsId = bobs.path("_id").asText();
            orders().updateOne(Filters.eq("_id", new ObjectId(bobsId)), Updates.set("meta.team", "blue"));
            assertThat(removal(alice, bobsId)).isNotNull();
            orders().deleteOne(Filters.eq("_id", carols.getObjectId("_id")));
            assertThat(removal(alice, carolsId)).isNotNull();

            assertThat(alice.seen()).noneMatch(f -> mentions(f, "alice-blue-new"));
            assertThat(alice.seen())
                    .as("no note but her own reached her")
                    .noneMatch(f -> mentions(f, "note for bob") || mentions(f, "note for carol"));
        }
    }

    @Test
    void theSnapshotAndTheStreamDeliverADocumentAlike() throws Exception {
        try (LiveClient alice = server.signedIn("alice", "user")) {
            orders().insertOne(order("alice", "alike-before", "green"));
            alice.sendJson(Map.of(
                    "type",
                    "subscribe",
                    "id",
                    "green",
                    "source",
                    "docs",
                    "table",
                    "shop.orders",
                    "where",
                    Map.of("meta.team", Map.of("eq", "green"))));
            JsonNode snapshot = alice.await("snapshot", "green");
            assertThat(snapshot.path("rows")).hasSize(1);
            orders().insertOne(order("alice", "alike-after", "green"));
            JsonNode streamed = alice.awaitChange("added", "alike-after").path("row");
            JsonNode read = snapshot.path("rows").get(0);
            for (String field : List.of("owner", "n", "meta")) {
                assertThat(streamed.path(field)).as(field).isEqualTo(read.path(field));
            }
            assertThat(streamed.path("n").isIntegralNumber()).isTrue();
        }
    }
}
