package io.undercurrent.query;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One client's live query on one table: which rows ({@link #where}), which columns
 * ({@link #fields}), in which order and how many. Built and checked by
 * {@link LiveQueryParser}; immutable and thread-safe.
 *
 * <p>Its JSON form (Jackson, with {@link LiveQueryJson#module()} registered) is the subscribe frame's shape
 * without {@code type}/{@code id}: {@code {"source":"app","table":"public.todos",
 * "where":{...},"fields":["id","title"],"orderBy":[["created_at","desc"]],"limit":50}},
 * which is how it travels to the router inside a subscription record. A query read
 * back from JSON is checked against the table again when compiled.
 *
 * @param source  the configured source; {@code null} means the default source
 * @param table   {@code schema.table}
 * @param where   the filter; never {@code null} ({@link Filter#matchAll()} when the client sent none)
 * @param fields  the columns to send, in the client's order; {@code null} means all columns.
 *                Snapshot rows also carry the primary key, which the edge needs
 * @param orderBy sort order, most significant first; empty for none (snapshots then follow the key)
 * @param limit   most rows in the result, {@code null} for no limit
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LiveQuery(
        String source, String table, Filter where, List<String> fields, List<Order> orderBy, Integer limit) {

    public LiveQuery {
        Objects.requireNonNull(table, "table");
        where = where == null ? Filter.matchAll() : where;
        fields = fields == null ? null : List.copyOf(fields);
        orderBy = orderBy == null ? List.of() : List.copyOf(orderBy);
    }

    /** A sort key; its JSON form is {@code ["column", "asc"|"desc"]}. */
    @JsonFormat(shape = JsonFormat.Shape.ARRAY)
    @JsonPropertyOrder({"column", "direction"})
    public record Order(String column, Direction direction) {
        public Order {
            Objects.requireNonNull(column, "column");
            direction = direction == null ? Direction.ASC : direction;
        }
    }

    /**
     * Sort direction. NULLs sort as PostgreSQL sorts them by default: last when
     * ascending, first when descending.
     */
    public enum Direction {
        ASC,
        DESC;

        /** {@code "asc"} or {@code "desc"}, as on the wire. */
        @JsonValue
        public String jsonName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** Reads {@code "asc"} / {@code "desc"}; {@code null} for anything else. */
        @JsonCreator
        public static Direction fromJson(String s) {
            return switch (s) {
                case "asc" -> ASC;
                case "desc" -> DESC;
                default -> null;
            };
        }
    }
}
