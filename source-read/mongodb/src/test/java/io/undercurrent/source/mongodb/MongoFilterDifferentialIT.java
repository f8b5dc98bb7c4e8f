package io.undercurrent.source.mongodb;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Collation;
import io.undercurrent.change.value.CanonicalBson;
import io.undercurrent.query.Filter;
import io.undercurrent.query.LiveQuery;
import io.undercurrent.query.RowMatcher;
import io.undercurrent.source.ReadRequest;
import io.undercurrent.source.RowGate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bson.BsonDocument;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.MongoDBContainer;

/**
 * {@link MongoFilterDifferentialTest} against a real MongoDB 7 instead of the documented-semantics
 * model: random documents stored in a collection, random filters; for each, the ids the translated
 * filter finds must be the ids the matcher accepts, and a read through the reader (the pipeline, in a
 * snapshot session) must return them in key order. A failure prints the seed; rerun with
 * {@code -Dundercurrent.mongo.seed=<seed>}. Skipped with a message where no Docker engine runs.
 */
class MongoFilterDifferentialIT {

    @Test
    void mongoDbFindsExactlyWhatTheMatcherAccepts() {
        Docker.assumeAvailable("MongoFilterDifferentialIT");
        long seed = Long.getLong("undercurrent.mongo.seed", System.nanoTime());
        int filters = Integer.getInteger("undercurrent.mongo.filters", 1000);
        try (MongoDBContainer mongo = new MongoDBContainer("mongo:7.0")) {
            mongo.start();
            String url = mongo.getReplicaSetUrl("shop");
            try (MongoClient client = MongoClients.create(url);
                    MongoSourceReader reader = new MongoSourceReader(new MongoReaderSettings("mongo", url, "shop"))) {
                MongoCollection<BsonDocument> things =
                        client.getDatabase("shop").getCollection("things", BsonDocument.class);
                RandomDocuments random = new RandomDocuments(seed);
                List<BsonDocument> docs = random.documents(300);
                things.insertMany(docs);
                MongoFilters translator = new MongoFilters(RandomDocuments.SCHEMA);
                for (int n = 0; n < filters; n++) {
                    Filter filter = random.filter(3);
                    RowMatcher matcher = RowMatcher.compile(filter, RandomDocuments.SCHEMA);
                    List<Object> expected = new ArrayList<>();
                    for (BsonDocument doc : docs) {
                        Map<String, Object> row = CanonicalBson.document(doc);
                        if (matcher.matches(row)) {
                            expected.add(row.get("_id"));
                        }
                    }
                    BsonDocument query = translator.filter(filter);
                    List<Object> found = new ArrayList<>();
                    things.find(query)
                            .collation(Collation.builder().locale("simple").build())
                            .sort(new BsonDocument("_id", new org.bson.BsonInt32(1)))
                            .forEach(d -> found.add(CanonicalBson.value(d.get("_id"))));
                    assertThat(found)
                            .as("seed %d, translated %s", seed, query.toJson())
                            .isEqualTo(expected);
                    LiveQuery live = new LiveQuery("mongo", "shop.things", filter, null, null, null);
                    List<Object> read =
                            reader
                                    .read(new ReadRequest(live, RandomDocuments.SCHEMA, 1000), RowGate.ALL)
                                    .rows()
                                    .stream()
                                    .map(r -> r.get("_id"))
                                    .toList();
                    assertThat(read)
                            .as("seed %d, read of %s", seed, query.toJson())
                            .isEqualTo(expected);
                }
            } catch (Exception e) {
                throw new AssertionError("seed " + seed + ": " + e, e);
            }
        }
    }
}
