package io.undercurrent.server.e2e.chaos;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Concurrent writers on one {@link ChaosTable}: inserts, updates (owner and group moves, visibility
 * flips, other columns) and deletes, alone or several in one transaction, each writer on its own
 * connection at a steady pace. Rows are shared, so writers also wait on each other's row locks (and
 * PostgreSQL sometimes ends a deadlock by rolling one back, which is counted, not a failure).
 */
final class Writers implements AutoCloseable {

    /** Opens a database connection for a writer. */
    interface Connections {
        Connection open() throws SQLException;
    }

    private final ChaosTable table;
    private final Connections connections;
    private final long seed;
    private final int threads;
    private final int perSecond;
    private final ConcurrentLinkedQueue<Long> liveIds = new ConcurrentLinkedQueue<>();
    private final AtomicLong nextId = new AtomicLong();
    private final AtomicLong nextTx = new AtomicLong();
    private final AtomicLong committed = new AtomicLong();
    private final AtomicLong rolledBack = new AtomicLong();
    private final List<Throwable> errors = new CopyOnWriteArrayList<>();
    private final List<Connection> open = new CopyOnWriteArrayList<>();
    private final VersionLog versions;
    private ScheduledExecutorService pool;

    /** @param versions where every committed row version is recorded, once its transaction committed */
    Writers(ChaosTable table, Connections connections, long seed, int threads, int perSecond, VersionLog versions) {
        this.versions = versions;
        this.table = table;
        this.connections = connections;
        this.seed = seed;
        this.threads = threads;
        this.perSecond = perSecond;
    }

    /** Inserts {@code rows} rows in one transaction, before any client subscribes. */
    void seed(int rows) throws SQLException {
        try (Connection db = connections.open()) {
            db.setAutoCommit(false);
            Random random = new Random(seed);
            long tx = nextTx.incrementAndGet();
            List<Long> ids = new ArrayList<>();
            for (int i = 0; i < rows; i++) {
                ids.add(insert(db, random, tx));
            }
            db.commit();
            ids.forEach(id -> versions.committed(id, 1, tx));
            liveIds.addAll(ids);
        }
    }

    void start() {
        pool = Executors.newScheduledThreadPool(threads, r -> {
            Thread t = new Thread(r, "chaos-writer");
            t.setDaemon(true);
            return t;
        });
        long periodMicros = 1_000_000L * threads / perSecond;
        for (int i = 0; i < threads; i++) {
            Writer writer = new Writer(new Random(seed * 31 + i + 1));
            pool.scheduleWithFixedDelay(writer, i * periodMicros / threads, periodMicros, TimeUnit.MICROSECONDS);
        }
    }

    /** Write transactions committed so far, after the seed rows. */
    long committed() {
        return committed.get();
    }

    long rolledBack() {
        return rolledBack.get();
    }

    List<Throwable> errors() {
        return errors;
    }

    /** Stops writing and returns once no transaction is in flight. */
    void stop() throws InterruptedException {
        if (pool != null) {
            pool.shutdown();
            if (!pool.awaitTermination(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("writers did not stop within 60 s");
            }
        }
        for (Connection c : open) {
            try {
                c.close();
            } catch (SQLException e) {
                // closing after stop; nothing left to lose
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }

    private final class Writer implements Runnable {
        private final Random random;
        private Connection db;

        Writer(Random random) {
            this.random = random;
        }

        @Override
        public void run() {
            if (!errors.isEmpty()) {
                return;
            }
            List<Long> inserted = new ArrayList<>();
            List<Long> deleted = new ArrayList<>();
            List<long[]> updated = new ArrayList<>();
            try {
                if (db == null) {
                    db = connections.open();
                    db.setAutoCommit(false);
                    open.add(db);
                }
                long tx = nextTx.incrementAndGet();
                int statements = random.nextInt(10) < 6 ? 1 : 2 + random.nextInt(3);
                for (int i = 0; i < statements; i++) {
                    int rows = liveIds.size();
                    int pick = random.nextInt(100);
                    if (rows < 25 || (rows < 70 && pick < 30)) {
                        inserted.add(insert(db, random, tx));
                    } else if (pick < (rows > 70 ? 40 : 85)) {
                        long id = anyId();
                        long version = update(db, random, tx, id);
                        if (version > 0) {
                            updated.add(new long[] {id, version});
                        }
                    } else {
                        long id = anyId();
                        delete(db, id);
                        deleted.add(id);
                    }
                }
                db.commit();
                inserted.forEach(id -> versions.committed(id, 1, tx));
                updated.forEach(u -> versions.committed(u[0], u[1], tx));
                liveIds.addAll(inserted);
                liveIds.removeAll(deleted);
                committed.incrementAndGet();
            } catch (SQLException e) {
                rollback();
                if ("40P01".equals(e.getSQLState())) {
                    rolledBack.incrementAndGet(); // deadlock between two writers: PostgreSQL chose this one
                } else {
                    errors.add(e);
                }
            } catch (RuntimeException e) {
                rollback();
                errors.add(e);
            }
        }

        private long anyId() {
            Long[] ids = liveIds.toArray(new Long[0]);
            return ids[random.nextInt(ids.length)];
        }

        private void rollback() {
            try {
                if (db != null) {
                    db.rollback();
                }
            } catch (SQLException e) {
                errors.add(e);
            }
        }
    }

    private long insert(Connection db, Random random, long tx) throws SQLException {
        long id = nextId.incrementAndGet();
        try (PreparedStatement st = db.prepareStatement("insert into " + table.qualified()
                + " (id, owner_id, grp, pub, score, title, secret, ver, tx) values (?, ?, ?, ?, ?, ?, ?, 1, ?)")) {
            st.setLong(1, id);
            st.setString(2, ChaosTable.owner(random));
            st.setInt(3, ChaosTable.group(random));
            st.setBoolean(4, random.nextBoolean());
            setScore(st, 5, ChaosTable.score(random));
            st.setString(6, ChaosTable.title(random));
            st.setString(7, ChaosTable.secret(random));
            st.setLong(8, tx);
            st.executeUpdate();
        }
        return id;
    }

    /**
     * Changes one to three columns (an owner or group move, a visibility flip...), and always ver and tx.
     *
     * @return the row's new version, or 0 when no row has that id any more (a concurrent delete)
     */
    private long update(Connection db, Random random, long tx, long id) throws SQLException {
        List<String> sets = new ArrayList<>();
        List<Object> values = new ArrayList<>();
        int changes = 1 + random.nextInt(3);
        for (int i = 0; i < changes; i++) {
            switch (random.nextInt(6)) {
                case 0 -> {
                    sets.add("owner_id = ?");
                    values.add(ChaosTable.owner(random));
                }
                case 1 -> {
                    sets.add("grp = ?");
                    values.add(ChaosTable.group(random));
                }
                case 2 -> sets.add("pub = not pub");
                case 3 -> {
                    sets.add("score = ?");
                    values.add(ChaosTable.score(random));
                }
                case 4 -> {
                    sets.add("title = ?");
                    values.add(ChaosTable.title(random));
                }
                default -> {
                    sets.add("secret = ?");
                    values.add(ChaosTable.secret(random));
                }
            }
        }
        // a column named twice in one SET is an error: keep the first
        List<String> columns = new ArrayList<>();
        List<String> clauses = new ArrayList<>();
        List<Object> binds = new ArrayList<>();
        int v = 0;
        for (String set : sets) {
            String column = set.substring(0, set.indexOf(' '));
            boolean bound = set.endsWith("?");
            Object value = bound ? values.get(v++) : null;
            if (!columns.contains(column)) {
                columns.add(column);
                clauses.add(set);
                if (bound) {
                    binds.add(value == null ? new TypedNull(column) : value);
                }
            }
        }
        try (PreparedStatement st = db.prepareStatement("update " + table.qualified() + " set "
                + String.join(", ", clauses) + ", ver = ver + 1, tx = ? where id = ? returning ver")) {
            int i = 1;
            for (Object b : binds) {
                if (b instanceof TypedNull n) {
                    st.setNull(i++, n.column().equals("score") ? Types.INTEGER : Types.VARCHAR);
                } else {
                    st.setObject(i++, b);
                }
            }
            st.setLong(i++, tx);
            st.setLong(i, id);
            try (java.sql.ResultSet rs = st.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }

    private record TypedNull(String column) {}

    private void delete(Connection db, long id) throws SQLException {
        try (PreparedStatement st = db.prepareStatement("delete from " + table.qualified() + " where id = ?")) {
            st.setLong(1, id);
            st.executeUpdate();
        }
    }

    private static void setScore(PreparedStatement st, int index, Integer score) throws SQLException {
        if (score == null) {
            st.setNull(index, Types.INTEGER);
        } else {
            st.setInt(index, score);
        }
    }
}
