package io.undercurrent.source.jdbc;

import io.undercurrent.query.TableSchema;
import io.undercurrent.query.TableSchema.Column;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads the current row of a result set over one table as canonical values (the change contract's
 * forms, as ingest writes them), each column by its label; a database's subclass decodes each value
 * ({@link #value}). Stateless and thread-safe; the caller owns the result set.
 */
public abstract class ResultRowReader {
    protected final TableSchema schema;

    protected ResultRowReader(TableSchema schema) {
        this.schema = schema;
    }

    /**
     * The current row of {@code rs}, in result-set column order.
     *
     * @throws IllegalArgumentException if a result column is not a column of the table
     * @throws SQLException             from the driver
     */
    public final Map<String, Object> read(ResultSet rs) throws SQLException {
        ResultSetMetaData meta = rs.getMetaData();
        int n = meta.getColumnCount();
        Map<String, Object> row = new LinkedHashMap<>(n * 2);
        for (int i = 1; i <= n; i++) {
            String label = meta.getColumnLabel(i);
            Column column = schema.column(label);
            if (column == null) {
                throw new IllegalArgumentException("result column \"" + label + "\" is not a column of "
                        + schema.table() + "; select only the table's own columns");
            }
            row.put(label, value(rs, i, column));
        }
        return row;
    }

    /** The canonical value of result column {@code index}, a column of the table; {@code null} for SQL NULL. */
    protected abstract Object value(ResultSet rs, int index, Column column) throws SQLException;
}
