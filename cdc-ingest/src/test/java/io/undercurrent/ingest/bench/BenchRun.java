package io.undercurrent.ingest.bench;

import io.undercurrent.ingest.SourceKind;
import io.undercurrent.ingest.testing.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/** One measured run against one table: a bulk write, then a steady rate with latency measured. */
final class BenchRun {

    private final TestDatabase db;
    private final String table;
    private final LongSupplier published;
    private long nextId = 1;

    BenchRun(TestDatabase db, String table, LongSupplier published) {
        this.db = db;
        this.table = table;
        this.published = published;
    }

    /** Writes until the first change is acknowledged, so the engine is known to stream. */
    void warmUp() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (published.getAsLong() == 0) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no change published within 120 s");
            }
            db.execute("insert into " + table + " values (" + (nextId++) + ", 'warm-up', 1.5, current_timestamp)");
            LockSupport.parkNanos(Duration.ofMillis(200).toNanos());
        }
        // Rows written before the engine had its position are never captured; once one marker row
        // written now is published, everything captured before it is too.
        long before = published.getAsLong();
        db.execute("insert into " + table + " values (" + (nextId++) + ", 'warm-up', 1.5, current_timestamp)");
        awaitPublished(before + 1, Duration.ofSeconds(30));
    }

    /** Inserts {@code rows} rows, 1,000 per statement and transaction; returns "changes/s" and how long the write took. */
    String bulk(int rows) throws Exception {
        long before = published.getAsLong();
        long start = System.nanoTime();
        try (Connection c = db.connect();
                Statement s = c.createStatement()) {
            for (int done = 0; done < rows; done += 1000) {
                StringBuilder sql =
                        new StringBuilder("insert into ").append(table).append(" values ");
                for (int i = 0; i < 1000; i++) {
                    long id = nextId++;
                    sql.append(i == 0 ? "" : ",")
                            .append('(')
                            .append(id)
                            .append(", 'row ")
                            .append(id)
                            .append("', ")
                            .append(id)
                            .append(".25, current_timestamp)");
                }
                s.execute(sql.toString());
            }
        }
        long written = System.nanoTime();
        awaitPublished(before + rows, Duration.ofMinutes(5));
        long end = System.nanoTime();
        return String.format(
                "%,.0f changes/s (%,d changes in %.2f s; the database took %.2f s to write them)",
                rows / ((end - start) / 1e9), rows, (end - start) / 1e9, (written - start) / 1e9);
    }

    /**
     * Inserts {@code rows} rows in one statement and one transaction, as a bulk load or a migration
     * does; returns "changes/s" from the commit returning to the last change published, and how long
     * the database took.
     */
    String oneTransaction(int rows) throws Exception {
        long before = published.getAsLong();
        long first = nextId;
        nextId += rows;
        String insert = db.kind() == SourceKind.POSTGRES
                ? "insert into " + table + " select g, 'row ' || g, g + 0.25, current_timestamp from generate_series("
                        + first + ", " + (nextId - 1) + ") g"
                // MariaDB's sequence engine: a table seq_<a>_to_<b> exists for any range
                : "insert into " + table + " select seq, concat('row ', seq), seq + 0.25, current_timestamp from seq_"
                        + first + "_to_" + (nextId - 1);
        long start = System.nanoTime();
        db.execute(insert);
        long committed = System.nanoTime();
        awaitPublished(before + rows, Duration.ofMinutes(5));
        long end = System.nanoTime();
        return String.format(
                "%,.0f changes/s (%,d changes in %.2f s after the commit returned; the database took %.2f s)",
                rows / ((end - committed) / 1e9), rows, (end - committed) / 1e9, (committed - start) / 1e9);
    }

    /** Inserts single-row transactions at {@code perSecond} for {@code duration}, noting each commit in the probe. */
    void steady(int perSecond, Duration duration, LatencyProbe probe) throws Exception {
        long period = 1_000_000_000L / perSecond;
        long end = System.nanoTime() + duration.toNanos();
        long before = published.getAsLong();
        long count = 0;
        try (Connection c = db.connect();
                PreparedStatement insert =
                        c.prepareStatement("insert into " + table + " values (?, 'steady', 2.5, current_timestamp)")) {
            long next = System.nanoTime();
            while (next < end) {
                LockSupport.parkNanos(next - System.nanoTime());
                long id = nextId++;
                insert.setLong(1, id);
                insert.executeUpdate();
                probe.committed(id, System.nanoTime());
                count++;
                next += period;
            }
        }
        awaitPublished(before + count, Duration.ofSeconds(60));
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (probe.measured() < count && System.nanoTime() < deadline) {
            LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
        }
    }

    private void awaitPublished(long target, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (published.getAsLong() < target) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        "only " + published.getAsLong() + " of " + target + " changes published within " + timeout);
            }
            LockSupport.parkNanos(Duration.ofMillis(2).toNanos());
        }
    }
}
