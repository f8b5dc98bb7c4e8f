package io.undercurrent.edge.internal;

import io.undercurrent.query.ColumnType;
import io.undercurrent.query.TableSchema;
import io.undercurrent.query.TableSchema.Column;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

/** Fixtures the edge's fuzz tests share: a secret, a fixed clock, and a table with a column of each kind. */
final class EdgeFuzzing {

    static final byte[] SECRET = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8);
    /** 2026-01-01T00:00:00Z: tokens in the seed corpus expire after it, or before it. */
    static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    static final Duration SKEW = Duration.ofSeconds(30);

    static final TableSchema TODOS = new TableSchema(
            "app",
            "public.todos",
            List.of(
                    new Column("id", ColumnType.INTEGER, "int8"),
                    new Column("owner_id", ColumnType.TEXT, "text"),
                    new Column("title", ColumnType.TEXT, "text"),
                    new Column("code", ColumnType.TEXT, "bpchar"),
                    new Column("done", ColumnType.BOOLEAN, "bool"),
                    new Column("score", ColumnType.DECIMAL, "numeric"),
                    new Column("ratio", ColumnType.FLOAT, "float8"),
                    new Column("created_at", ColumnType.TIMESTAMPTZ, "timestamptz"),
                    new Column("due", ColumnType.DATE, "date"),
                    new Column("uid", ColumnType.UUID, "uuid"),
                    new Column("meta", ColumnType.JSON, "jsonb"),
                    new Column("tags", ColumnType.ARRAY, "_text", ColumnType.TEXT),
                    new Column("blob", ColumnType.BYTES, "bytea")),
            List.of("id"));

    private EdgeFuzzing() {}
}
