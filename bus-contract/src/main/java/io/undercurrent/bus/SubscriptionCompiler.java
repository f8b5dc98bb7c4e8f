package io.undercurrent.bus;

import com.fasterxml.jackson.databind.JsonNode;
import io.undercurrent.query.InvalidQueryException;
import io.undercurrent.query.LiveQuery;
import io.undercurrent.query.LiveQueryParser;
import io.undercurrent.query.RowMatcher;
import io.undercurrent.query.TableSchema;
import io.undercurrent.query.spi.ValueCoercion;
import java.util.Objects;

/**
 * Compiles a subscription's query the way every router does before it routes changes to it: the
 * query as read back from the subscriptions topic, parsed against the record's table schema, its
 * filter compiled for in-memory matching. The edge runs the very same steps on a client's query
 * before publishing it ({@link #check}), so a query no router could serve is refused at once as
 * {@code invalid_query} instead of being published, ignored by every router and timed out.
 *
 * <p>Stateless and thread-safe.
 */
public final class SubscriptionCompiler {

    private static final SubscriptionId PROBE = new SubscriptionId("check", "check", "check");

    private final BusCodec codec = new BusCodec();
    private final LiveQueryParser parser = new LiveQueryParser();

    /** A subscription's query, checked and ready to match rows. */
    public record Compiled(LiveQuery query, RowMatcher matcher) {}

    /**
     * What a router does with a subscription record it read.
     *
     * @throws InvalidQueryException when the query does not fit the record's table
     */
    public Compiled compile(SubscriptionRecord record) {
        LiveQuery query = parser.parse(record.query(), record.schema());
        return new Compiled(query, RowMatcher.compile(query.where(), record.schema()));
    }

    /**
     * What the edge does before it publishes a client's query: parses it, then compiles it exactly as
     * routers will receive it (encoded into a subscription record and decoded again).
     *
     * @param query  the client's subscribe frame, as the edge read it
     * @param schema the table the frame names
     * @return the query as routers will read it
     * @throws InvalidQueryException naming the JSON path of the first problem
     */
    public LiveQuery check(JsonNode query, TableSchema schema) {
        // The client's own JSON first: its problems are named at their path, and no oversized value
        // is ever encoded.
        parser.parse(query, schema);
        SubscriptionRecord sent = new SubscriptionRecord(
                PROBE, 0, Objects.requireNonNullElse(schema.source(), ""), schema.table(), query, schema, null, 0);
        SubscriptionRecord received;
        try {
            received = codec.decode(codec.encode(sent), SubscriptionRecord.class);
        } catch (IllegalArgumentException e) {
            throw new InvalidQueryException(
                    "$",
                    "the query cannot be passed on to routers ("
                            + ValueCoercion.abbreviate(String.valueOf(e.getMessage())) + "); simplify it");
        }
        return compile(received).query();
    }
}
