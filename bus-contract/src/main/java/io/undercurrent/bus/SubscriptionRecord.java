package io.undercurrent.bus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import io.undercurrent.query.TableSchema;
import java.util.Map;
import java.util.Objects;

/**
 * A live subscription as the edge publishes it to the compacted subscriptions topic (a null value
 * under the same key ends it). Every router reads all of them.
 *
 * @param id         who subscribed
 * @param generation grows each time the edge re-registers the subscription (token refresh, rules
 *                   reload); deliveries of older generations are stale
 * @param source     the source database
 * @param table      the qualified table
 * @param query      the client's subscribe frame (where, fields, orderBy, limit), already validated by the edge
 * @param schema     the table's schema as the edge read it, so routers need no database connection
 * @param auth       the verified token claims, or null for an anonymous subscriber
 * @param createdAt  when the edge published this generation (epoch ms)
 */
public record SubscriptionRecord(
        SubscriptionId id,
        long generation,
        String source,
        String table,

        @JsonSerialize(using = QueryJson.Writer.class) @JsonDeserialize(using = QueryJson.Reader.class)
        JsonNode query,

        TableSchema schema,
        Map<String, Object> auth,
        long createdAt) {

    public SubscriptionRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(query, "query");
        Objects.requireNonNull(schema, "schema");
    }
}
