package io.undercurrent.source.mongodb;

import static org.assertj.core.api.Assertions.assertThat;

import io.undercurrent.query.Filter;
import java.math.BigDecimal;
import java.util.Arrays;
import org.bson.BsonDocument;
import org.junit.jupiter.api.Test;

/** The translation's shape for the cases the README names; the differential tests check its meaning. */
class MongoFiltersTest {

    private static String translate(Filter filter) {
        return new MongoFilters(RandomDocuments.SCHEMA).filter(filter).toJson();
    }

    private static Filter.Comparison cmp(String column, Filter.Operator op, Object value) {
        return new Filter.Comparison(column, op, value);
    }

    @Test
    void valuesAreBsonOfTheFieldsTypeNeverText() {
        assertThat(translate(cmp("oid", Filter.Operator.EQ, "65A1B2C3D4E5F60718293A4B")))
                .isEqualTo("{\"oid\": {\"$eq\": {\"$oid\": \"65a1b2c3d4e5f60718293a4b\"}}}");
        assertThat(translate(cmp("meta.team", Filter.Operator.EQ, "{\"$gt\": \"\"}")))
                .isEqualTo("{\"meta.team\": {\"$eq\": \"{\\\"$gt\\\": \\\"\\\"}\"}}");
        assertThat(translate(cmp("t", Filter.Operator.GTE, "2023-11-14T22:13:20.0005Z")))
                .isEqualTo("{\"t\": {\"$gte\": {\"$date\": \"2023-11-14T22:13:20.001Z\"}}}");
        assertThat(translate(cmp("i", Filter.Operator.GT, new BigDecimal("2.5"))))
                .isEqualTo("{\"i\": {\"$gt\": 2}}");
    }

    @Test
    void notAndNeNeverMatchMissingFields() {
        assertThat(translate(cmp("s", Filter.Operator.NE, "a"))).isEqualTo("{\"s\": {\"$nin\": [\"a\", null]}}");
        assertThat(translate(new Filter.Not(cmp("s", Filter.Operator.EQ, "a"))))
                .isEqualTo("{\"s\": {\"$nin\": [\"a\", null]}}");
        assertThat(translate(new Filter.Not(new Filter.In("s", Arrays.asList("a", null), false))))
                .isEqualTo(MongoFilters.NONE.toJson());
    }

    @Test
    void nanIsAboveEveryNumberAsTheMatcherOrdersIt() {
        assertThat(translate(cmp("d", Filter.Operator.GT, 2L)))
                .isEqualTo("{\"$or\": [{\"d\": {\"$gt\": 2.0}}, {\"d\": {\"$eq\": {\"$numberDouble\": \"NaN\"}}}]}");
        assertThat(translate(cmp("d", Filter.Operator.LT, "NaN")))
                .isEqualTo("{\"d\": {\"$gte\": {\"$numberDouble\": \"-Infinity\"}}}");
    }

    @Test
    void arraysAreNullOnlyWhenTheyAreNoArray() {
        assertThat(translate(new Filter.IsNull("tags", true)))
                .isEqualTo("{\"tags\": {\"$not\": {\"$type\": \"array\"}}}");
        assertThat(BsonDocument.parse(translate(Filter.matchAll()))).isEmpty();
    }
}
