package io.undercurrent.ingest.internal;

import io.undercurrent.change.ChangeEvent;
import io.undercurrent.change.Operation;
import io.undercurrent.change.Transaction;
import io.undercurrent.change.Watermark;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * Turns one Debezium {@link SourceRecord} into the canonical {@link ChangeEvent}, or null for records
 * that are not row changes (tombstones, heartbeats, schema changes, transaction markers).
 *
 * <p>Unchanged TOAST values: when the old image holds the column, its value is carried over (the
 * value did not change); otherwise the column is left out of {@code after} and listed in
 * {@link ChangeEvent#unavailable()}. Thread-safe.
 */
public final class RecordMapper {

    private static final String DEFAULT_PLACEHOLDER = "__debezium_unavailable_value";

    private final String sourceName;
    private final SourceDialect dialect;
    private final CanonicalValues values = new CanonicalValues();
    private final UnavailableValues unavailable;
    private final Clock clock;

    RecordMapper(String sourceName, SourceDialect dialect, Clock clock) {
        this.sourceName = sourceName;
        this.dialect = dialect;
        this.clock = clock;
        this.unavailable = new UnavailableValues(
                dialect.connectorProperties().getProperty("unavailable.value.placeholder", DEFAULT_PLACEHOLDER));
    }

    public ChangeEvent map(SourceRecord record) {
        if (!(record.value() instanceof Struct envelope) || !isRowChange(envelope.schema())) {
            return null;
        }
        Operation op = operation(envelope.getString("op"));
        if (op == null) {
            return null;
        }
        Struct source = envelope.getStruct("source");
        Object beforeRaw = envelope.get("before");
        Object afterRaw = envelope.get("after");
        Map<String, Object> before =
                beforeRaw instanceof Struct s ? values.row(s) : beforeRaw == null ? null : dialect.document(beforeRaw);
        List<String> missing = new ArrayList<>();
        Map<String, Object> after = afterRaw instanceof Struct s
                ? afterImage(s, before, missing)
                : afterRaw == null ? null : dialect.document(afterRaw);
        if (op != Operation.DELETE && after == null) {
            // MongoDB sends no document for an update when the document was deleted before the change
            // stream looked it up; the delete that follows carries the change.
            return null;
        }
        Map<String, Object> key = key(record);
        if (key == null) {
            throw new IllegalStateException(
                    "table " + dialect.table(source) + " has no primary key; Undercurrent needs one to "
                            + "address rows. Add a primary key or exclude the table from capture.");
        }
        Long commitTs = source.getInt64("ts_ms");
        return new ChangeEvent(
                ChangeEvent.CURRENT_VERSION,
                sourceName,
                dialect.table(source),
                op,
                key,
                before,
                after,
                missing,
                dialect.position(record, source),
                dialect.txId(source),
                commitTs == null ? 0 : commitTs,
                clock.millis(),
                transaction(envelope),
                dialect.sourceOrder(record, source));
    }

    /**
     * The watermark a record carries: a logical decoding message with the watermark prefix (see
     * {@link PostgresWatermarks}), whose content is the point; null for every other record.
     */
    public Watermark watermark(SourceRecord record) {
        if (!(record.value() instanceof Struct envelope)
                || envelope.schema().field("message") == null
                || !"m".equals(envelope.getString("op"))) {
            return null;
        }
        Struct message = envelope.getStruct("message");
        if (message == null || !PostgresWatermarks.PREFIX.equals(message.getString("prefix"))) {
            return null;
        }
        Object content = message.get("content");
        String point = content instanceof byte[] bytes
                ? new String(bytes, StandardCharsets.UTF_8)
                : content instanceof java.nio.ByteBuffer buffer
                        ? StandardCharsets.UTF_8.decode(buffer.duplicate()).toString()
                        : null;
        return point == null ? null : new Watermark(sourceName, point, clock.millis());
    }

    private Transaction transaction(Struct envelope) {
        if (envelope.schema().field("transaction") == null) {
            return null;
        }
        Struct tx = envelope.getStruct("transaction");
        if (tx == null || tx.getString("id") == null) {
            return null;
        }
        return new Transaction(
                dialect.transactionId(tx.getString("id")),
                tx.getInt64("total_order"),
                tx.getInt64("data_collection_order"));
    }

    private Map<String, Object> afterImage(Struct afterStruct, Map<String, Object> before, List<String> missing) {
        if (afterStruct == null) {
            return null;
        }
        Map<String, Object> after = new LinkedHashMap<>();
        for (Field field : afterStruct.schema().fields()) {
            Object raw = afterStruct.get(field);
            if (raw != null && unavailable.isPlaceholder(raw)) {
                if (before != null && before.containsKey(field.name())) {
                    after.put(field.name(), before.get(field.name()));
                } else {
                    missing.add(field.name());
                }
            } else {
                after.put(field.name(), values.value(field.schema(), raw));
            }
        }
        return after;
    }

    private Map<String, Object> key(SourceRecord record) {
        Map<String, Object> special = dialect.key(record);
        if (special != null) {
            return special;
        }
        if (record.key() instanceof Struct keyStruct) {
            return values.row(keyStruct);
        }
        return null;
    }

    private static boolean isRowChange(Schema schema) {
        return schema.field("op") != null && schema.field("source") != null && schema.field("after") != null;
    }

    private static Operation operation(String code) {
        if (code == null) {
            return null;
        }
        return switch (code) {
            case "c" -> Operation.INSERT;
            case "u" -> Operation.UPDATE;
            case "d" -> Operation.DELETE;
            case "r" -> Operation.READ;
            default -> null; // "t" (truncate) and "m" (message) are not row changes
        };
    }
}
