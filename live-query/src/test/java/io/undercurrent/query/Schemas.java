package io.undercurrent.query;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import io.undercurrent.query.TableSchema.Column;
import java.util.List;

/** Test fixtures: a table with a column of each kind, and JSON helpers. */
public final class Schemas {
    /** How the edge should read frames: exact decimals, trailing zeros kept. */
    public static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false);

    public static final TableSchema TODOS = new TableSchema(
            "app",
            "public.todos",
            List.of(
                    new Column("id", ColumnType.INTEGER, "int8"),
                    new Column("owner_id", ColumnType.INTEGER, "int8"),
                    new Column("title", ColumnType.TEXT, "text"),
                    new Column("code", ColumnType.TEXT, "bpchar"),
                    new Column("done", ColumnType.BOOLEAN, "bool"),
                    new Column("score", ColumnType.DECIMAL, "numeric"),
                    new Column("ratio", ColumnType.FLOAT, "float8"),
                    new Column("created_at", ColumnType.TIMESTAMPTZ, "timestamptz"),
                    new Column("local_at", ColumnType.TIMESTAMP, "timestamp"),
                    new Column("due", ColumnType.DATE, "date"),
                    new Column("at_time", ColumnType.TIME, "time"),
                    new Column("uid", ColumnType.UUID, "uuid"),
                    new Column("meta", ColumnType.JSON, "jsonb"),
                    new Column("tags", ColumnType.ARRAY, "_text", ColumnType.TEXT),
                    new Column("blob", ColumnType.BYTES, "bytea")),
            List.of("id"));

    private Schemas() {}

    /** Parses JSON written with single quotes for readability. */
    public static JsonNode json(String singleQuoted) {
        try {
            return JSON.readTree(singleQuoted.replace('\'', '"'));
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** A frame on TODOS with the given where (single-quoted JSON). */
    public static JsonNode where(String where) {
        return json("{'type':'subscribe','id':'q1','table':'public.todos','where':" + where + "}");
    }

    public static LiveQuery parse(String frame) {
        return new LiveQueryParser().parse(json(frame), TODOS);
    }

    public static Filter filter(String where) {
        return new LiveQueryParser().parse(where(where), TODOS).where();
    }
}
