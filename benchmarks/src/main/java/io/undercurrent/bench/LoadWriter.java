package io.undercurrent.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;
import java.util.function.IntPredicate;

/**
 * Writes the rows both systems deliver: single-row transactions at a steady rate (several
 * connections when one cannot keep up), or one bulk transaction. Paced by parking, never by
 * spinning: a spinning writer would take a core from the systems it measures.
 */
final class LoadWriter {

    private static final String INSERT =
            "insert into public.todos(owner_id, title) values (?, ?) returning pg_current_xact_id()::text";
    /** MariaDB: the commit's GTID is read after it, by the session's {@code last_gtid}. */
    private static final String MARIADB_INSERT = "insert into todos(owner_id, title) values (?, ?)";

    /** How the paced writing went: a writer that falls behind makes every latency look better than it is. */
    record Pace(long rows, double seconds, long lateRows, long maxLagMicros) {
        double rate() {
            return rows / seconds;
        }
    }

    private final Database db;

    LoadWriter(Database db) {
        this.db = db;
    }

    /**
     * Inserts rows {@code firstSeq .. firstSeq + count - 1} at {@code rate} per second, each in its
     * own transaction, owned by {@code owner.apply(seq)}. A row for which {@code timed} holds is a
     * probe ({@code p<seq>}) and its commit goes into {@code log}; the others are titled
     * {@code <untimed><seq>}.
     */
    Pace paced(
            int firstSeq,
            int count,
            double rate,
            IntPredicate timed,
            char untimed,
            IntFunction<String> owner,
            ProbeLog log,
            int writers)
            throws InterruptedException {
        long interval = (long) (1e9 * writers / rate);
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20);
        AtomicLong late = new AtomicLong();
        AtomicLong maxLag = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int w = 0; w < writers; w++) {
            int lane = w;
            Thread t = new Thread(
                    () -> {
                        try (Connection c = db.connect();
                                PreparedStatement insert = c.prepareStatement(db.mariadb() ? MARIADB_INSERT : INSERT);
                                PreparedStatement lastGtid =
                                        db.mariadb() ? c.prepareStatement("select @@last_gtid") : null) {
                            long next = start + lane * (interval / writers);
                            for (int seq = firstSeq + lane; seq < firstSeq + count; seq += writers) {
                                long now = System.nanoTime();
                                if (now < next) {
                                    LockSupport.parkNanos(next - now);
                                } else if (now - next > 10_000_000) {
                                    late.incrementAndGet();
                                    maxLag.accumulateAndGet((now - next) / 1_000, Math::max);
                                }
                                insert.setString(1, owner.apply(seq));
                                boolean probe = timed.test(seq);
                                insert.setString(2, Titles.title(probe ? 'p' : untimed, seq));
                                if (probe) {
                                    log.issued(seq, System.nanoTime());
                                }
                                if (db.mariadb()) {
                                    insert.executeUpdate(); // autocommit: returns once committed
                                    long committed = System.nanoTime();
                                    if (probe) {
                                        log.committed(seq, committed, ProbeLog.txKey(firstColumn(lastGtid)));
                                    }
                                } else {
                                    String txId = firstColumn(insert); // autocommit: returns once committed
                                    long committed = System.nanoTime();
                                    if (probe) {
                                        log.committed(seq, committed, Long.parseLong(txId) & 0xffff_ffffL);
                                    }
                                }
                                next += interval;
                            }
                        } catch (SQLException | RuntimeException e) {
                            failures.add(e);
                        }
                    },
                    "writer-" + w);
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        if (!failures.isEmpty()) {
            throw new IllegalStateException("writing failed: " + failures.get(0), failures.get(0));
        }
        return new Pace(count, (System.nanoTime() - start) / 1e9, late.get(), maxLag.get());
    }

    private static String firstColumn(PreparedStatement query) throws SQLException {
        try (ResultSet rs = query.executeQuery()) {
            rs.next();
            return rs.getString(1);
        }
    }

    /**
     * Inserts {@code rows} rows owned by {@code owner} in one transaction, titled {@code b0 ..}.
     *
     * @return when the commit returned ({@link System#nanoTime()})
     */
    long bulk(int rows, String owner) throws SQLException {
        try (Connection c = db.connect();
                PreparedStatement insert = c.prepareStatement(
                        db.mariadb()
                                // MariaDB's sequence engine: a table seq_0_to_<n> exists for any n
                                ? "insert into todos(owner_id, title) select ?, concat('b', seq) from seq_0_to_"
                                        + (rows - 1)
                                : "insert into public.todos(owner_id, title) select ?, 'b' || g from generate_series(0, ? - 1) g")) {
            insert.setString(1, owner);
            if (!db.mariadb()) {
                insert.setInt(2, rows);
            }
            insert.executeUpdate();
            return System.nanoTime();
        }
    }

    /** Where the rows are written: PostgreSQL, or MariaDB when the URL says {@code jdbc:mariadb:}. */
    record Database(String jdbcUrl, String user, String password) {
        Connection connect() throws SQLException {
            return DriverManager.getConnection(jdbcUrl, user, password);
        }

        boolean mariadb() {
            return jdbcUrl.startsWith("jdbc:mariadb:");
        }

        /** From {@code postgresql://user:password@host:port/db}, as the server's banner prints it. */
        static Database fromUrl(String url) {
            java.net.URI uri = java.net.URI.create(url);
            String[] userInfo = uri.getUserInfo() == null
                    ? new String[] {"postgres", ""}
                    : uri.getUserInfo().split(":", 2);
            String host = "localhost".equals(uri.getHost()) ? "127.0.0.1" : uri.getHost();
            return new Database(
                    "jdbc:postgresql://" + host + ":" + uri.getPort() + uri.getPath(),
                    userInfo[0],
                    userInfo.length > 1 ? userInfo[1] : "");
        }

        String url() {
            String rest = jdbcUrl.substring("jdbc:postgresql://".length());
            return "postgresql://" + user + ":" + password + "@" + rest;
        }
    }
}
