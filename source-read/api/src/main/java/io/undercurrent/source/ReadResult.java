package io.undercurrent.source;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a read returned.
 *
 * @param rows  the rows the gate admitted, as it returned them, in the query's order
 * @param point where the read stands in the source's change stream
 */
public record ReadResult(List<Map<String, Object>> rows, ReadPoint point) {

    public ReadResult {
        rows = List.copyOf(rows);
        Objects.requireNonNull(point, "point");
    }
}
