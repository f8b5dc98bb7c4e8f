package io.undercurrent.ingest.internal;

import io.undercurrent.change.ChangeEvent;
import io.undercurrent.change.TransactionMarker;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * Turns Debezium's transaction END records ({@code provide.transaction.metadata}) into
 * {@link TransactionMarker}s. BEGIN records are dropped: they carry nothing a reader needs, since
 * each change already names its transaction. Thread-safe.
 */
final class TransactionMarkers {

    private final String sourceName;
    private final SourceDialect dialect;

    TransactionMarkers(String sourceName, SourceDialect dialect) {
        this.sourceName = sourceName;
        this.dialect = dialect;
    }

    /** The marker for an END record; null for every other record. */
    TransactionMarker map(SourceRecord record) {
        if (!(record.value() instanceof Struct value)
                || !isTransactionRecord(value.schema())
                || !"END".equals(value.getString("status"))) {
            return null;
        }
        Map<String, Long> perTable = new LinkedHashMap<>();
        List<?> collections = value.getArray("data_collections");
        if (collections != null) {
            for (Object o : collections) {
                Struct c = (Struct) o;
                perTable.put(c.getString("data_collection"), c.getInt64("event_count"));
            }
        }
        Long count = value.getInt64("event_count");
        Long ts = value.getInt64("ts_ms");
        return new TransactionMarker(
                ChangeEvent.CURRENT_VERSION,
                sourceName,
                dialect.transactionId(value.getString("id")),
                count == null ? 0 : count,
                perTable,
                ts == null ? 0 : ts);
    }

    private static boolean isTransactionRecord(Schema schema) {
        return schema.field("status") != null && schema.field("data_collections") != null && schema.field("id") != null;
    }
}
