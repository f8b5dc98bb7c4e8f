package io.undercurrent.source.postgres;

import io.undercurrent.query.ColumnType;
import io.undercurrent.query.TableSchema;
import io.undercurrent.query.TableSchema.Column;
import io.undercurrent.source.UnknownTableException;
import io.undercurrent.source.postgres.internal.PgTypes;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a table's {@link TableSchema} from PostgreSQL's catalog ({@code pg_catalog}):
 * columns in declaration order, their types mapped to {@link ColumnType} (domains
 * resolved to their base type, enums as text, arrays with their element kind), and the
 * primary key in key order. Tables, partitioned tables, views, materialized views and
 * foreign tables qualify; views have no primary key.
 *
 * <p>Stateless and thread-safe; the caller owns the connection (any transaction state is fine).
 */
public final class PostgresSchemaReader {
    private static final String COLUMNS = """
            SELECT a.attname, a.atttypid
              FROM pg_catalog.pg_attribute a
              JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
              JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname = ? AND c.relname = ? AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
               AND a.attnum > 0 AND NOT a.attisdropped
             ORDER BY a.attnum""";
    private static final String PRIMARY_KEY = """
            SELECT a.attname
              FROM pg_catalog.pg_index i
              JOIN pg_catalog.pg_class c ON c.oid = i.indrelid
              JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
              CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
              JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
             WHERE n.nspname = ? AND c.relname = ? AND i.indisprimary
             ORDER BY k.ord""";
    private static final String TYPE = """
            SELECT typname, typtype, typcategory, typelem, typbasetype FROM pg_catalog.pg_type WHERE oid = ?""";

    private final String source;

    /** @param source the configured source name recorded in every schema read; {@code null} for the default */
    public PostgresSchemaReader(String source) {
        this.source = source;
    }

    /**
     * Reads the schema of {@code table}.
     *
     * @param table {@code schema.table} as spelled in the catalog; without a dot, {@code public} is assumed
     * @throws UnknownTableException if no such table is visible
     * @throws SQLException          if the catalog cannot be read
     */
    public TableSchema read(Connection connection, String table) throws SQLException, UnknownTableException {
        String qualified = qualified(table);
        int dot = qualified.indexOf('.');
        String schemaName = qualified.substring(0, dot);
        String tableName = qualified.substring(dot + 1);
        Map<Long, Column> types = new HashMap<>();
        List<Column> columns = new ArrayList<>();
        try (PreparedStatement s = connection.prepareStatement(COLUMNS)) {
            s.setString(1, schemaName);
            s.setString(2, tableName);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    Column type = resolve(connection, rs.getLong(2), types);
                    columns.add(new Column(rs.getString(1), type.type(), type.dbType(), type.elementType()));
                }
            }
        }
        if (columns.isEmpty()) {
            throw new UnknownTableException(source, table);
        }
        List<String> key = new ArrayList<>();
        try (PreparedStatement s = connection.prepareStatement(PRIMARY_KEY)) {
            s.setString(1, schemaName);
            s.setString(2, tableName);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    key.add(rs.getString(1));
                }
            }
        }
        return new TableSchema(source, schemaName + "." + tableName, columns, key);
    }

    /**
     * {@code table} as {@code schema.table}, the way {@link #read} looks it up and rules name it:
     * without a dot, {@code public} is assumed.
     */
    public static String qualified(String table) {
        return table.indexOf('.') < 0 ? "public." + table : table;
    }

    /** The kind of type {@code oid} as a nameless column; domains are followed to their base type. */
    private static Column resolve(Connection connection, long oid, Map<Long, Column> cache) throws SQLException {
        Column cached = cache.get(oid);
        if (cached != null) {
            return cached;
        }
        String name;
        char typtype;
        char category;
        long element;
        long base;
        try (PreparedStatement s = connection.prepareStatement(TYPE)) {
            s.setLong(1, oid);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("type oid " + oid + " vanished from pg_type while reading a table schema");
                }
                name = rs.getString(1);
                typtype = rs.getString(2).charAt(0);
                category = rs.getString(3).charAt(0);
                element = rs.getLong(4);
                base = rs.getLong(5);
            }
        }
        Column resolved;
        if (typtype == 'd') {
            resolved = resolve(connection, base, cache);
        } else if (category == 'A' && element != 0) {
            resolved = new Column(
                    "",
                    ColumnType.ARRAY,
                    name,
                    resolve(connection, element, cache).type());
        } else {
            resolved = new Column("", PgTypes.kindOf(name, typtype), name);
        }
        cache.put(oid, resolved);
        return resolved;
    }
}
