package io.undercurrent.source.mongodb;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.undercurrent.change.value.CanonicalBson;
import io.undercurrent.query.Filter;
import io.undercurrent.query.LiveQueryJson;
import io.undercurrent.query.RowMatcher;
import java.util.List;
import java.util.Map;
import org.bson.BsonDocument;
import org.junit.jupiter.api.Test;

/**
 * One filter, judged two ways over random documents: by the in-memory matcher on the documents'
 * canonical rows, and by MongoDB's documented query semantics ({@link MongoQueryReference}, an
 * independent model) on the translated filter. They must select the same documents. A failure
 * prints the seed; rerun with {@code -Dundercurrent.mongo.seed=<seed>}
 * ({@code -Dundercurrent.mongo.filters=<n>} for more filters). The same comparison against a real
 * MongoDB is {@code MongoFilterDifferentialIT}.
 */
class MongoFilterDifferentialTest {

    private static final ObjectMapper JSON = new ObjectMapper().registerModule(LiveQueryJson.module());

    @Test
    void translatedFiltersSelectExactlyWhatTheMatcherAccepts() throws Exception {
        long seed = Long.getLong("undercurrent.mongo.seed", System.nanoTime());
        int filters = Integer.getInteger("undercurrent.mongo.filters", 3000);
        RandomDocuments random = new RandomDocuments(seed);
        List<BsonDocument> docs = random.documents(300);
        List<Map<String, Object>> rows =
                docs.stream().map(CanonicalBson::document).toList();
        MongoFilters translator = new MongoFilters(RandomDocuments.SCHEMA);
        for (int n = 0; n < filters; n++) {
            Filter filter = random.filter(3);
            RowMatcher matcher = RowMatcher.compile(filter, RandomDocuments.SCHEMA);
            BsonDocument query = translator.filter(filter);
            for (int i = 0; i < docs.size(); i++) {
                boolean expected = matcher.matches(rows.get(i));
                if (MongoQueryReference.matches(docs.get(i), query) != expected) {
                    assertThat(MongoQueryReference.matches(docs.get(i), query))
                            .as(
                                    "seed %d (-Dundercurrent.mongo.seed=%d), filter %s%ntranslated %s%ndocument %s",
                                    seed,
                                    seed,
                                    JSON.writeValueAsString(filter),
                                    query.toJson(),
                                    docs.get(i).toJson())
                            .isEqualTo(expected);
                }
            }
        }
    }
}
