package io.undercurrent.change;

import java.util.Locale;

/**
 * The comparable form of a change's place in its source's log: {@link ChangeEvent#sourceOrder()}.
 * Two orders of one source compare, as plain strings ({@link String#compareTo}), in the order the
 * source delivered the changes to ingest. Each form is fixed-width (or order-preserving) for that
 * reason; orders of different source kinds are never compared.
 *
 * <p>Why it exists: ingest commits its source position only after Kafka has the changes, so a crash
 * makes it publish the changes since the last committed position a second time, at new offsets. Ingest
 * writes one partition of a change topic in source order, so a reader that keeps, per change-topic
 * partition, the highest order it applied can drop every change at or below it: that is a replay.
 * The forms (see this module's README):
 * <ul>
 *   <li>PostgreSQL {@code pg:<commit>:<lsn>}, two 16-digit hex numbers: the LSN of the last commit
 *       logical decoding sent before the change's transaction (transactions arrive in commit order, so
 *       this grows from one transaction to the next), then the change's own LSN (which grows within
 *       its transaction). Debezium's {@code source.sequence}.</li>
 *   <li>MySQL / MariaDB {@code binlog:<file>:<position>:<event>:<row>}, 16-digit hex numbers: Debezium's
 *       resume coordinates of the change, which are the binlog file's index, the position where the
 *       change's transaction starts, the events of that transaction before the change's, and the rows
 *       of its event up to and including the change's. Comparable only between changes read from one
 *       server's binlog.</li>
 *   <li>MongoDB {@code mongo:<resume token data>}: the change stream's resume token, whose data
 *       sorts by cluster time, then by the operation's index within its transaction (the key a
 *       sharded cluster merges its shards' streams by).</li>
 * </ul>
 * Immutable helpers; thread-safe.
 */
public final class SourceOrder {

    private SourceOrder() {}

    /**
     * @param lastCommitLsn the LSN of the last commit decoded before the change's transaction; 0 when
     *                      none was (the very first transaction a new slot decodes)
     * @param lsn           the change's own LSN
     */
    public static String postgres(long lastCommitLsn, long lsn) {
        return "pg:" + hex(lastCommitLsn) + ":" + hex(lsn);
    }

    /**
     * @param fileIndex the binlog file's index, the number after its last dot ({@code mysql-bin.000042} is 42)
     * @param position  the position in that file where the change's transaction starts
     * @param event     how many events of the transaction precede the change's event
     * @param row       how many rows of the change's event precede it, plus one
     */
    public static String binlog(long fileIndex, long position, long event, long row) {
        return "binlog:" + hex(fileIndex) + ":" + hex(position) + ":" + hex(event) + ":" + hex(row);
    }

    /** @param resumeTokenData the {@code _data} of the change stream's resume token (hexadecimal) */
    public static String mongo(String resumeTokenData) {
        return "mongo:" + resumeTokenData.toUpperCase(Locale.ROOT);
    }

    /**
     * Whether a change with order {@code candidate} comes after everything up to {@code highWater}.
     *
     * @param highWater the highest order already applied, or null when none was
     * @return true when the change is new; true also when {@code candidate} is null (no order known:
     *         nothing can be said, so nothing is dropped)
     */
    public static boolean isAfter(String candidate, String highWater) {
        return candidate == null || highWater == null || candidate.compareTo(highWater) > 0;
    }

    private static String hex(long value) {
        String digits = Long.toHexString(value); // unsigned, as LSNs and positions are
        return "0".repeat(16 - digits.length()) + digits;
    }
}
