package io.undercurrent.edge.internal;

import io.undercurrent.router.query.PostgresSchemaReader;
import io.undercurrent.router.query.TableSchema;
import io.undercurrent.router.query.UnknownTableException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Table schemas read from the source databases, kept for a short while so a burst of subscriptions
 * reads the catalog once, and a column added to a table shows up soon. Thread-safe.
 */
final class SchemaCache implements SchemaSource {

    private record Entry(TableSchema schema, long readAt) {
    }

    private final DataSources dataSources;
    private final Clock clock;
    private final long ttlMs;
    private final Map<String, Entry> cache = new ConcurrentHashMap<>();

    SchemaCache(DataSources dataSources, Clock clock, long ttlMs) {
        this.dataSources = dataSources;
        this.clock = clock;
        this.ttlMs = ttlMs;
    }

    /**
     * @throws UnknownTableException when the table does not exist
     * @throws SQLException when the database cannot be reached
     */
    @Override
    public TableSchema get(String source, String table) throws SQLException {
        String key = source + '\u0000' + table;
        long now = clock.millis();
        Entry entry = cache.get(key);
        if (entry != null && now - entry.readAt() < ttlMs) {
            return entry.schema();
        }
        try (Connection connection = dataSources.get(source).getConnection()) {
            TableSchema schema = new PostgresSchemaReader(source).read(connection, table);
            connection.commit();
            cache.put(key, new Entry(schema, now));
            return schema;
        }
    }
}
