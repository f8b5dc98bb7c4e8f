package io.undercurrent.source.jdbc;

import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * A parameterised SQL statement and its bind values. Every client value is a parameter;
 * the SQL text holds only quoted identifiers from the table schema, operators, casts
 * ({@code ?::timestamptz} in PostgreSQL, {@code CAST(? AS DATE)} in MariaDB) and fixed literals
 * ({@code NULL}, {@code TRUE}, {@code FALSE}, {@code 'null'} for json NULL tests).
 * Immutable apart from {@code byte[]} parameters, which callers must not modify.
 *
 * @param sql    the statement with {@code ?} placeholders (JDBC style)
 * @param params one value per placeholder, in order; each is a {@code Long}, {@code Integer},
 *               {@code BigDecimal}, {@code Double}, {@code Boolean}, {@code String} or {@code byte[]},
 *               never {@code null} (NULLs are written into the SQL as literals)
 */
public record SqlQuery(String sql, List<Object> params) {

    public SqlQuery {
        Objects.requireNonNull(sql, "sql");
        params = Collections.unmodifiableList(List.copyOf(params));
    }

    /**
     * Binds {@link #params} to a statement prepared from {@link #sql}, each with the JDBC
     * setter of its class; the casts in the SQL give each its database type.
     *
     * @throws SQLException from the driver
     */
    public void bind(PreparedStatement statement) throws SQLException {
        for (int i = 0; i < params.size(); i++) {
            Object p = params.get(i);
            int index = i + 1;
            if (p instanceof Long l) {
                statement.setLong(index, l);
            } else if (p instanceof Integer n) {
                statement.setInt(index, n);
            } else if (p instanceof BigDecimal d) {
                statement.setBigDecimal(index, d);
            } else if (p instanceof Double d) {
                statement.setDouble(index, d);
            } else if (p instanceof Boolean b) {
                statement.setBoolean(index, b);
            } else if (p instanceof String s) {
                statement.setString(index, s);
            } else if (p instanceof byte[] bytes) {
                statement.setBytes(index, bytes);
            } else {
                throw new IllegalStateException("parameter " + index + " has unsupported class "
                        + p.getClass().getName());
            }
        }
    }

    /** A statement prepared on {@code connection} with the parameters bound; the caller closes it. */
    public PreparedStatement prepare(java.sql.Connection connection) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        try {
            bind(statement);
            return statement;
        } catch (SQLException | RuntimeException e) {
            statement.close();
            throw e;
        }
    }
}
