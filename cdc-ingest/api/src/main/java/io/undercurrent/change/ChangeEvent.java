package io.undercurrent.change;

import com.fasterxml.jackson.annotation.JsonCreator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One committed row change, the same for every source database: the contract between ingest and
 * every later stage (version {@value #CURRENT_VERSION}).
 *
 * <p>Row images hold canonical values (see this module's README). Instances are immutable and
 * safe to share between threads; the maps are never modified after construction.
 *
 * @param version      contract version, {@value #CURRENT_VERSION} for this class
 * @param source       the configured name of the source database, e.g. {@code app}
 * @param table        the table or collection, schema-qualified for SQL databases ({@code public.todos})
 * @param op           what happened
 * @param key          the primary key columns and their values; never null or empty
 * @param before       the row before the change; null for inserts, and for updates when the database
 *                     did not log the old image (e.g. Postgres without {@code REPLICA IDENTITY FULL})
 * @param after        the row after the change; null for deletes
 * @param unavailable  columns whose new value the database did not send because it did not change
 *                     (Postgres TOAST values without a full old image); absent from {@code after}.
 *                     Readers must treat them as "unchanged", never as null. Never null.
 * @param position     the source's position of the change, opaque to readers; its form per database is
 *                     in this module's README (Postgres {@code lsn:<n>}, MySQL/MariaDB
 *                     {@code binlog:<file>:<pos>:<row>} plus {@code ;gtid:<gtid>} when the server has GTIDs,
 *                     MongoDB {@code resume:<token>})
 * @param txId         the source transaction id (Postgres: the 32-bit xid in decimal; MySQL/MariaDB: the
 *                     GTID; MongoDB: {@code <lsid>:<txnNumber>} for multi-document transactions); null if unknown
 * @param commitTimeMs when the source committed the change (epoch ms)
 * @param ingestTimeMs when ingest read the change (epoch ms), to measure lag
 * @param transaction  where the change sits in its transaction, to deliver transactions whole (see
 *                     {@link TransactionMarker}); null when the source reported none (snapshot reads,
 *                     MongoDB changes outside a multi-document transaction, events of older writers).
 *                     Added to version 1 without a version change: readers that do not know it ignore it.
 * @param sourceOrder  the change's place in the source's log in a form that compares as a plain string
 *                     ({@link SourceOrder}): within one partition of a change topic, a change whose order is
 *                     at or below one already read is a replay (ingest publishes again after a crash). Null
 *                     when unknown (events of older writers); such changes cannot be deduplicated. Added to
 *                     version 1 without a version change.
 */
public record ChangeEvent(
        int version,
        String source,
        String table,
        Operation op,
        Map<String, Object> key,
        Map<String, Object> before,
        Map<String, Object> after,
        List<String> unavailable,
        String position,
        String txId,
        long commitTimeMs,
        long ingestTimeMs,
        Transaction transaction,
        String sourceOrder) {

    public static final int CURRENT_VERSION = 1;

    @JsonCreator
    public ChangeEvent {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(op, "op");
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException(
                    "change to " + table + " has no key: every captured table needs a primary key");
        }
        if (op == Operation.DELETE ? after != null : after == null) {
            throw new IllegalArgumentException(
                    op + " on " + table + (op == Operation.DELETE ? " must not" : " must") + " carry an after image");
        }
        unavailable = unavailable == null ? List.of() : List.copyOf(unavailable);
    }

    /** A change without a source order, as version 1 was written before it; see the canonical constructor. */
    public ChangeEvent(
            int version,
            String source,
            String table,
            Operation op,
            Map<String, Object> key,
            Map<String, Object> before,
            Map<String, Object> after,
            List<String> unavailable,
            String position,
            String txId,
            long commitTimeMs,
            long ingestTimeMs,
            Transaction transaction) {
        this(
                version,
                source,
                table,
                op,
                key,
                before,
                after,
                unavailable,
                position,
                txId,
                commitTimeMs,
                ingestTimeMs,
                transaction,
                null);
    }

    /** A change without transaction metadata, as version 1 was first written; see the canonical constructor. */
    public ChangeEvent(
            int version,
            String source,
            String table,
            Operation op,
            Map<String, Object> key,
            Map<String, Object> before,
            Map<String, Object> after,
            List<String> unavailable,
            String position,
            String txId,
            long commitTimeMs,
            long ingestTimeMs) {
        this(
                version,
                source,
                table,
                op,
                key,
                before,
                after,
                unavailable,
                position,
                txId,
                commitTimeMs,
                ingestTimeMs,
                null,
                null);
    }

    /** The row image that describes the row's current state: {@code after}, or {@code before} for a delete. */
    public Map<String, Object> latestImage() {
        return after != null ? after : before;
    }

    /** Where this change sits in its source's history, for telling whether a consistent read contains it. */
    public ChangeStamp stamp() {
        return new ChangeStamp(txId, position, sourceOrder);
    }
}
