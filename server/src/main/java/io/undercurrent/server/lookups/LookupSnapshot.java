package io.undercurrent.server.lookups;

import io.undercurrent.query.Filter;
import io.undercurrent.query.LiveQuery;
import io.undercurrent.query.TableSchema;
import io.undercurrent.rules.LookupStore;
import io.undercurrent.rules.TableRef;
import io.undercurrent.source.ReadPoint;
import io.undercurrent.source.ReadRequest;
import io.undercurrent.source.SourceReadException;
import io.undercurrent.source.SourceReader;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads every row of one looked-up table into the {@link LookupStore} through the source-read seam the
 * edge uses for initial results: one consistent snapshot, whose {@link ReadPoint} then tells which
 * captured changes it already holds.
 */
final class LookupSnapshot {

    private LookupSnapshot() {}

    /**
     * Stores the table's rows (the store's limits apply: {@link io.undercurrent.rules.LookupLimitException}
     * ends the read) and returns where the read stands. Rows are stored as they are read, never held
     * in a list: a table is in memory once.
     */
    static ReadPoint read(SourceReader reader, LookupStore store, TableRef table) throws SourceReadException {
        TableSchema schema = reader.schema(table.table());
        LiveQuery everything = new LiveQuery(table.source(), table.table(), Filter.matchAll(), null, List.of(), null);
        List<String> keyColumns = schema.primaryKey();
        return reader.read(new ReadRequest(everything, schema, Integer.MAX_VALUE), row -> {
                    store.upsert(table, key(row, keyColumns), row);
                    return null; // stored, not returned: the read keeps no rows
                })
                .point();
    }

    private static Map<String, Object> key(Map<String, Object> row, List<String> keyColumns) {
        Map<String, Object> key = new LinkedHashMap<>();
        for (String column : keyColumns) {
            key.put(column, row.get(column));
        }
        return key;
    }
}
