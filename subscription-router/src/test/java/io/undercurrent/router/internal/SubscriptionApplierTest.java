package io.undercurrent.router.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.undercurrent.bus.BusCodec;
import io.undercurrent.bus.SubscriptionId;
import io.undercurrent.bus.SubscriptionRecord;
import io.undercurrent.query.ColumnType;
import io.undercurrent.query.TableSchema;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** What a router keeps of the subscription records it decodes. */
class SubscriptionApplierTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TableSchema SCHEMA = new TableSchema(
            "app",
            "public.todos",
            List.of(
                    new TableSchema.Column("id", ColumnType.INTEGER, "int8"),
                    new TableSchema.Column("done", ColumnType.BOOLEAN, "bool")),
            List.of("id"));

    private final BusCodec codec = new BusCodec();
    private final SubscriptionIndex index = new SubscriptionIndex();
    private final SubscriptionApplier applier = new SubscriptionApplier(index, new QueryCompiler(), codec, 60_000);

    @Test
    void subscriptionsWithEqualClaimsAndQueriesShareOneCopyOfEach() throws Exception {
        String where = "{\"table\":\"public.todos\",\"where\":{\"done\":{\"eq\":false}}}";
        apply(record("c1", where, claims("alice")));
        apply(record("c2", where, claims("alice")));
        apply(record("c3", "{\"table\":\"public.todos\"}", claims("bob")));

        SubscriptionRecord first = held("c1");
        SubscriptionRecord second = held("c2");
        SubscriptionRecord third = held("c3");
        assertThat(second.auth()).isSameAs(first.auth()).isEqualTo(claims("alice"));
        assertThat(second.query()).isSameAs(first.query()).isEqualTo(JSON.readTree(where));
        assertThat(second.schema()).isSameAs(first.schema());
        assertThat(third.auth()).isNotSameAs(first.auth()).isEqualTo(claims("bob"));
        assertThat(third.query()).isNotSameAs(first.query());
        assertThat(third.schema()).isSameAs(first.schema());
    }

    @Test
    void anAnonymousSubscriptionStaysAnonymous() throws Exception {
        apply(record("c1", "{\"table\":\"public.todos\"}", null));
        assertThat(held("c1").auth()).isNull();
    }

    private void apply(SubscriptionRecord record) {
        applier.apply(
                new ConsumerRecord<>(
                        "subscriptions",
                        0,
                        0,
                        record.id().asKey().getBytes(StandardCharsets.UTF_8),
                        codec.encode(record)),
                record.createdAt());
    }

    private SubscriptionRecord held(String connection) {
        return index.all().stream()
                .map(ActiveSubscription::record)
                .filter(r -> r.id().connectionId().equals(connection))
                .findFirst()
                .orElseThrow();
    }

    private static SubscriptionRecord record(String connection, String query, Map<String, Object> auth)
            throws Exception {
        JsonNode tree = JSON.readTree(query);
        return new SubscriptionRecord(
                new SubscriptionId("edge-1", connection, "q1"),
                1,
                "app",
                "public.todos",
                tree,
                SCHEMA,
                auth,
                System.currentTimeMillis());
    }

    private static Map<String, Object> claims(String sub) {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("sub", sub);
        claims.put("role", "member");
        return claims;
    }
}
