package io.undercurrent.source.mariadb;

import io.undercurrent.query.TableSchema;
import io.undercurrent.query.TableSchema.Column;
import io.undercurrent.source.UnknownTableException;
import io.undercurrent.source.mariadb.internal.MariaDbTypes;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a table's {@link TableSchema} from MariaDB's {@code information_schema}: columns in
 * declaration order with their kinds ({@link MariaDbTypes}; the full {@code COLUMN_TYPE} is the
 * column's {@code dbType}) and the primary key in key order. Names match exactly (byte for byte),
 * whatever the catalog's collation, so {@code app.Todos} is not {@code app.todos}.
 *
 * <p>Stateless and thread-safe; the caller owns the connection.
 */
public final class MariaDbSchemaReader {
    private static final String COLUMNS = """
            SELECT COLUMN_NAME, DATA_TYPE, COLUMN_TYPE
              FROM information_schema.COLUMNS
             WHERE BINARY TABLE_SCHEMA = ? AND BINARY TABLE_NAME = ?
             ORDER BY ORDINAL_POSITION""";
    private static final String PRIMARY_KEY = """
            SELECT COLUMN_NAME
              FROM information_schema.KEY_COLUMN_USAGE
             WHERE BINARY TABLE_SCHEMA = ? AND BINARY TABLE_NAME = ? AND CONSTRAINT_NAME = 'PRIMARY'
             ORDER BY ORDINAL_POSITION""";

    private final String source;
    private final String database;

    /**
     * @param source   the configured source name recorded in every schema read
     * @param database the database of names written without one
     */
    public MariaDbSchemaReader(String source, String database) {
        this.source = source;
        this.database = database;
    }

    /**
     * Reads the schema of {@code table}.
     *
     * @param table {@code database.table}; without a dot, the source's database is assumed
     * @throws UnknownTableException if no such table is visible to the connecting user
     * @throws SQLException          if the catalog cannot be read
     */
    public TableSchema read(Connection connection, String table) throws SQLException, UnknownTableException {
        String qualified = qualified(table);
        int dot = qualified.indexOf('.');
        String schemaName = qualified.substring(0, dot);
        String tableName = qualified.substring(dot + 1);
        List<Column> columns = new ArrayList<>();
        try (PreparedStatement s = connection.prepareStatement(COLUMNS)) {
            s.setString(1, schemaName);
            s.setString(2, tableName);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    String columnType = rs.getString(3);
                    columns.add(
                            new Column(rs.getString(1), MariaDbTypes.kindOf(rs.getString(2), columnType), columnType));
                }
            }
        }
        if (columns.isEmpty()) {
            throw new UnknownTableException(source, qualified);
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

    /** {@code table} as {@code database.table}, the way rules and change events name it. */
    public String qualified(String table) {
        return table.indexOf('.') < 0 ? database + "." + table : table;
    }
}
