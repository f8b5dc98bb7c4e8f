package io.undercurrent.ingest.internal;

import io.undercurrent.ingest.SourceSettings;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a PostgreSQL watermark every interval: a non-transactional logical decoding message whose
 * content is the statement's snapshot, {@code pg_current_snapshot()}. The snapshot is taken when the
 * statement starts, before the message is written, so every transaction it sees committed at a lower
 * LSN than the message, and logical decoding hands it to ingest before the message: ingest's handler
 * then publishes the watermark to every partition behind those changes.
 *
 * <p>The function is executable by every role unless a DBA revoked it (it needs no table and no
 * write privilege). When the database refuses it, one warning says so and the source runs without
 * watermarks (readers then fall back to a grace period, which is not exact). On PostgreSQL 17+ the
 * message is flushed at once ({@code flush => true}); before, it waits for the WAL writer (up to
 * {@code wal_writer_delay}, 200 ms by default) unless another commit flushes it first.
 *
 * <p>One thread per running capture, on a plain JDBC connection in autocommit.
 */
final class PostgresWatermarks implements Watermarks {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresWatermarks.class);
    /** The prefix of watermark messages, which ingest's handler looks for. */
    static final String PREFIX = "undercurrent_watermark";

    static final String QUERY = "SELECT pg_logical_emit_message(false, '" + PREFIX + "', pg_current_snapshot()::text)";
    /** PostgreSQL 17+: the message is flushed to the WAL at once, so logical decoding sends it without waiting. */
    static final String QUERY_FLUSHED =
            "SELECT pg_logical_emit_message(false, '" + PREFIX + "', pg_current_snapshot()::text, true)";
    /** Pause after the connection failed, before connecting again (capture reports the outage itself). */
    private static final Duration RECONNECT = Duration.ofSeconds(1);

    private final SourceSettings source;
    private final Duration interval;
    /** Set once the database refused the function: no later capture of this process tries again. */
    private final AtomicBoolean refused = new AtomicBoolean();

    PostgresWatermarks(SourceSettings source, Duration interval) {
        this.source = source;
        this.interval = interval;
    }

    @Override
    public Running start() {
        if (refused.get()) {
            return () -> {};
        }
        Thread thread = new Thread(this::run, "undercurrent-watermarks-" + source.name());
        thread.setDaemon(true);
        thread.start();
        return () -> {
            thread.interrupt();
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
    }

    private void run() {
        String url = "jdbc:postgresql://" + source.host() + ":" + source.port() + "/" + source.database();
        Properties props = new Properties();
        props.setProperty("connectTimeout", "10");
        props.setProperty("socketTimeout", "30");
        props.setProperty("ApplicationName", "undercurrent-watermarks-" + source.name());
        String lastFailure = null;
        while (!Thread.currentThread().isInterrupted()) {
            try (Connection c = Jdbc.connect(url, source.user(), source.password(), props);
                    Statement s = c.createStatement()) {
                c.setAutoCommit(true);
                int major = c.getMetaData().getDatabaseMajorVersion();
                if (major < 14) {
                    refused.set(true);
                    LOG.warn(
                            "source '{}': PostgreSQL {} does not pass logical decoding messages through pgoutput (14+ "
                                    + "does), so ingest writes no watermarks; readers of its changes judge lookups with a "
                                    + "grace period, which is not exact",
                            source.name(),
                            major);
                    return;
                }
                String query = major >= 17 ? QUERY_FLUSHED : QUERY;
                lastFailure = null;
                while (!Thread.currentThread().isInterrupted()) {
                    s.execute(query);
                    Thread.sleep(interval.toMillis());
                }
            } catch (InterruptedException e) {
                return;
            } catch (SQLException e) {
                if (refusedBy(e)) {
                    refused.set(true);
                    LOG.warn(
                            "source '{}': the database refused {} ({}), so ingest writes no watermarks; readers of its "
                                    + "changes judge lookups with a grace period, which is not exact. Let the user "
                                    + "execute it: GRANT EXECUTE ON FUNCTION pg_logical_emit_message(boolean, text, text, "
                                    + "boolean) TO {} (before PostgreSQL 17: pg_logical_emit_message(boolean, text, text)).",
                            source.name(),
                            QUERY,
                            e.getMessage(),
                            source.user());
                    return;
                }
                lastFailure = reportOnce(lastFailure, e.getMessage());
            } catch (RuntimeException e) {
                // Jdbc.connect classifies: the capture reports an unreachable database; watermarks wait for it.
                lastFailure = reportOnce(lastFailure, e.getMessage());
            }
            try {
                Thread.sleep(RECONNECT.toMillis());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private String reportOnce(String lastFailure, String failure) {
        if (!failure.equals(lastFailure)) {
            LOG.info("source '{}': writing watermarks failed ({}); trying again", source.name(), failure);
        }
        return failure;
    }

    /**
     * The function is not allowed here: no privilege to execute it (42501), or it does not exist or
     * cannot run (before PostgreSQL 9.6 / on a standby, 42883 / 25006).
     */
    private static boolean refusedBy(SQLException e) {
        String state = e.getSQLState();
        return "42501".equals(state) || "42883".equals(state) || "25006".equals(state);
    }
}
