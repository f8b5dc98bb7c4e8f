package io.undercurrent.edge.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.undercurrent.bus.SubscriptionId;
import io.undercurrent.edge.protocol.ServerFrames;
import io.undercurrent.query.ColumnType;
import io.undercurrent.query.LiveQuery;
import io.undercurrent.query.TableSchema;
import io.undercurrent.rules.TableRef;
import java.util.List;
import java.util.Map;

/** Live queries on every row of {@code public.todos} (key {@code id}) for tests that need one but not its frames. */
final class TodoSubscriptions {

    /** {@code public.todos} with its key column only. */
    static final TableSchema KEY_ONLY = new TableSchema(
            "app", "public.todos", List.of(new TableSchema.Column("id", ColumnType.INTEGER, "int8")), List.of("id"));

    private TodoSubscriptions() {}

    /** A subscription whose frames are all accepted and dropped; buffer 10, rules version "v1", generation 0. */
    static EdgeSubscription open(SubscriptionId id) {
        return new EdgeSubscription(
                id,
                new LiveQuery("app", "public.todos", null, null, null, null),
                KEY_ONLY,
                new TableRef("app", "public.todos"),
                new ObjectMapper().createObjectNode(),
                frame -> true,
                new ServerFrames(),
                10,
                Map.of(),
                "v1",
                0);
    }
}
