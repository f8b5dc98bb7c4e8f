package io.undercurrent.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

/** LiveQuery and TableSchema travel inside Kafka records as JSON, with a plain ObjectMapper with LiveQueryJson.module(). */
class JsonFormTest {
    private final ObjectMapper plain = new ObjectMapper().registerModule(LiveQueryJson.module());

    @Test
    void liveQueryRoundTripsExactly() throws Exception {
        LiveQuery q = Schemas.parse("{'source':'app','table':'public.todos','where':{'owner_id':{'eq':7},"
                + "'or':[{'score':{'gte':12.50}},{'score':{'lt':0.1000000000000000000001}},{'title':{'in':['a',null]}},"
                + "{'not':{'ratio':{'eq':'NaN'}}},{'and':[]}],'created_at':{'isNull':false}},"
                + "'fields':['id','title'],'orderBy':[['created_at','desc']],'limit':50}");
        String json = plain.writeValueAsString(q);
        assertThat(json)
                .contains(
                        "\"orderBy\":[[\"created_at\",\"desc\"]]",
                        "12.50",
                        "0.1000000000000000000001",
                        "\"where\":{\"and\":[");
        LiveQuery back = plain.readValue(json, LiveQuery.class);
        assertThat(back).isEqualTo(q);
        assertThat(plain.writeValueAsString(back)).isEqualTo(json);
    }

    @Test
    void minimalLiveQueryOmitsWhatIsAbsent() throws Exception {
        LiveQuery q = new LiveQuery(null, "public.todos", null, null, null, null);
        String json = plain.writeValueAsString(q);
        assertThat(json).isEqualTo("{\"table\":\"public.todos\",\"where\":{},\"orderBy\":[]}");
        assertThat(plain.readValue(json, LiveQuery.class)).isEqualTo(q);
        assertThat(plain.readValue("{\"table\":\"public.todos\"}", LiveQuery.class))
                .isEqualTo(q);
    }

    @Test
    void filterValuesReadBackAreCheckedWhenCompiled() throws Exception {
        LiveQuery q =
                plain.readValue("{\"table\":\"public.todos\",\"where\":{\"score\":{\"eq\":2.50}}}", LiveQuery.class);
        assertThat(q.where()).isEqualTo(new Filter.Comparison("score", Filter.Operator.EQ, new BigDecimal("2.50")));
        assertThat(RowMatcher.compile(q.where(), Schemas.TODOS)
                        .matches(java.util.Map.of("score", new BigDecimal("2.5"))))
                .isTrue();
    }

    @Test
    void tableSchemaRoundTrips() throws Exception {
        String json = plain.writeValueAsString(Schemas.TODOS);
        assertThat(json).contains("\"elementType\":\"TEXT\"").doesNotContain("blankPadded");
        assertThat(plain.readValue(json, TableSchema.class)).isEqualTo(Schemas.TODOS);
        TableSchema noSource = new TableSchema(
                null, "s.t", List.of(new TableSchema.Column("a", ColumnType.OTHER, "interval")), List.of());
        assertThat(plain.readValue(plain.writeValueAsString(noSource), TableSchema.class))
                .isEqualTo(noSource);
    }
}
