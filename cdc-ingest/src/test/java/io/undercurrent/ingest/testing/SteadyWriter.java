package io.undercurrent.ingest.testing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes a steady stream of committed changes to one table {@code (id bigint primary key, v bigint)}:
 * every step inserts row {@code n} with {@code v = 1} and increments {@code v} of row {@code n / 2},
 * so each row sees a known sequence of values. Survives database restarts by reconnecting (a step
 * whose commit failed simply did not happen; the test compares with what the database holds).
 */
public final class SteadyWriter implements AutoCloseable {

    private final TestDatabase db;
    private final String table;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final AtomicLong steps = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private Connection connection;
    private long next = 1;

    public SteadyWriter(TestDatabase db, String table) {
        this.db = db;
        this.table = table;
    }

    /** Starts writing one step every {@code periodMillis}. */
    public SteadyWriter start(long periodMillis) {
        timer.scheduleAtFixedRate(this::step, 0, periodMillis, TimeUnit.MILLISECONDS);
        return this;
    }

    private void step() {
        try {
            if (connection == null) {
                connection = db.connect();
            }
            try (PreparedStatement insert =
                            connection.prepareStatement("insert into " + table + " (id, v) values (?, 1)");
                    PreparedStatement update =
                            connection.prepareStatement("update " + table + " set v = v + 1 where id = ?")) {
                insert.setLong(1, next);
                insert.executeUpdate();
                update.setLong(1, Math.max(1, next / 2));
                update.executeUpdate();
            }
            next++;
            steps.incrementAndGet();
        } catch (SQLException e) {
            failures.incrementAndGet();
            closeConnection();
            if (e.getMessage() != null
                    && (e.getMessage().contains("duplicate") || e.getMessage().contains("Duplicate"))) {
                next++; // the insert committed before the connection broke
            }
        }
    }

    /** Steps committed so far. */
    public long steps() {
        return steps.get();
    }

    public long failures() {
        return failures.get();
    }

    private void closeConnection() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // the connection is already broken
            }
            connection = null;
        }
    }

    @Override
    public void close() throws InterruptedException {
        timer.shutdown();
        timer.awaitTermination(30, TimeUnit.SECONDS);
        closeConnection();
    }
}
