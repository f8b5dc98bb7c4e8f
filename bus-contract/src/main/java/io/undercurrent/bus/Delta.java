package io.undercurrent.bus;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * One row's effect on one subscription.
 *
 * @param op        what happened
 * @param key       the row's primary key
 * @param row       the row as the subscriber may see it (fields projected, masks applied); null for REMOVED
 * @param unchanged visible columns whose value the database did not resend; the client keeps its own
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Delta(DeltaOp op, Map<String, Object> key, Map<String, Object> row, List<String> unchanged) {

    public Delta {
        unchanged = unchanged == null ? List.of() : List.copyOf(unchanged);
    }
}
