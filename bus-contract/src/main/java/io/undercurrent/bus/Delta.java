package io.undercurrent.bus;

import com.fasterxml.jackson.annotation.JsonCreator;
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
 * @param guessed   the change had no old row image, so whether the subscriber held the row was not
 *                  known to the router: CHANGED may be an addition, REMOVED may be of a row the
 *                  client never had. The edge decides from the rows its client holds
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Delta(
        DeltaOp op,
        Map<String, Object> key,
        Map<String, Object> row,
        List<String> unchanged,
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean guessed) {

    @JsonCreator
    public Delta {
        unchanged = unchanged == null ? List.of() : List.copyOf(unchanged);
    }

    /** A delta the router judged with the row's old image. */
    public Delta(DeltaOp op, Map<String, Object> key, Map<String, Object> row, List<String> unchanged) {
        this(op, key, row, unchanged, false);
    }
}
