package io.undercurrent.edge.internal;

import io.undercurrent.query.TableSchema;
import io.undercurrent.source.SourceReadException;
import io.undercurrent.source.SourceReader;
import io.undercurrent.source.UnknownTableException;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Table schemas read through the sources' readers, kept for a short while so a burst of
 * subscriptions reads the catalog once, and a column added to a table shows up soon. Thread-safe.
 */
final class SchemaCache implements SchemaSource {

    private record Entry(TableSchema schema, long readAt) {}

    private final Map<String, SourceReader> readers;
    private final Clock clock;
    private final long ttlMs;
    private final Map<String, Entry> cache = new ConcurrentHashMap<>();

    SchemaCache(Map<String, SourceReader> readers, Clock clock, long ttlMs) {
        this.readers = readers;
        this.clock = clock;
        this.ttlMs = ttlMs;
    }

    /**
     * @throws UnknownTableException when the table does not exist, or no reader serves the source
     * @throws SourceReadException   when the database cannot be reached
     */
    @Override
    public TableSchema get(String source, String table) throws SourceReadException {
        String key = source + '\u0000' + table;
        long now = clock.millis();
        Entry entry = cache.get(key);
        if (entry != null && now - entry.readAt() < ttlMs) {
            return entry.schema();
        }
        SourceReader reader = readers.get(source);
        if (reader == null) {
            throw new UnknownTableException(source, table);
        }
        TableSchema schema = reader.schema(table);
        cache.put(key, new Entry(schema, now));
        return schema;
    }
}
