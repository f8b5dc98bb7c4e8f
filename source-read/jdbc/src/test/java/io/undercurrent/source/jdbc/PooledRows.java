package io.undercurrent.source.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.List;
import java.util.Random;

/** Fills a test table with generated rows whose values come from a pool per column. */
public final class PooledRows {
    private PooledRows() {}

    /**
     * Inserts rows {@code 1..count} with {@code insert}, whose first parameter is the {@code id} and
     * whose next ones are the columns of {@code pools}, each bound as text: NULL with probability 1/6,
     * else a value drawn from its pool.
     */
    public static void insert(Connection c, String insert, List<List<String>> pools, int count, Random random)
            throws SQLException {
        try (PreparedStatement statement = c.prepareStatement(insert)) {
            for (int id = 1; id <= count; id++) {
                statement.setLong(1, id);
                for (int i = 0; i < pools.size(); i++) {
                    List<String> pool = pools.get(i);
                    if (random.nextInt(6) == 0) {
                        statement.setNull(i + 2, Types.VARCHAR);
                    } else {
                        statement.setString(i + 2, pool.get(random.nextInt(pool.size())));
                    }
                }
                statement.addBatch();
            }
            statement.executeBatch();
        }
    }
}
