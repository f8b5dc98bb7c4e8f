package io.undercurrent.change;

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
 * @param position     the source's commit position, opaque (Postgres: {@code lsn:<n>})
 * @param txId         the source transaction id (Postgres: the 32-bit xid in decimal); null if unknown
 * @param commitTimeMs when the source committed the change (epoch ms)
 * @param ingestTimeMs when ingest read the change (epoch ms), to measure lag
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
        long ingestTimeMs) {

    public static final int CURRENT_VERSION = 1;

    public ChangeEvent {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(op, "op");
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException("change to " + table + " has no key: every captured table needs a primary key");
        }
        if (op == Operation.DELETE ? after != null : after == null) {
            throw new IllegalArgumentException(op + " on " + table + (op == Operation.DELETE ? " must not" : " must") + " carry an after image");
        }
        unavailable = unavailable == null ? List.of() : List.copyOf(unavailable);
    }

    /** The row image that describes the row's current state: {@code after}, or {@code before} for a delete. */
    public Map<String, Object> latestImage() {
        return after != null ? after : before;
    }
}
