package io.undercurrent.source.mariadb;

import java.time.Duration;
import java.util.Objects;

/**
 * A MariaDB source as its reader reaches it for live-query reads. Must be the very server ingest reads
 * its binlog from: reads are stitched to the change stream by that server's binlog coordinates, which a
 * replica does not share.
 *
 * @param source         the source name, as in rules and subscriptions
 * @param jdbcUrl        e.g. {@code jdbc:mariadb://localhost:3306/app}
 * @param database       the database tables without a {@code database.} prefix belong to
 * @param user           a user that may read the captured tables
 * @param password       its password
 * @param poolSize       most connections the reader opens for this source
 * @param connectTimeout how long a read waits for a connection before it fails as unavailable
 * @param fetchSize      rows fetched per round trip while a read streams its result
 * @param captureUser    the user ingest reads the binlog as, or null to skip the check. A first read is
 *                       served only once that user's binlog connection was seen (in
 *                       {@code information_schema.PROCESSLIST}, which shows a user its own threads, and
 *                       every thread to a user with the {@code PROCESS} privilege): before ingest's first
 *                       start, a change committed after the read might never be captured
 */
public record MariaDbReaderSettings(
        String source,
        String jdbcUrl,
        String database,
        String user,
        String password,
        int poolSize,
        Duration connectTimeout,
        int fetchSize,
        String captureUser) {

    /** Today's defaults: a connection within 10 s, 500 rows per fetch. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);

    public static final int DEFAULT_FETCH_SIZE = 500;

    public MariaDbReaderSettings {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        Objects.requireNonNull(database, "database");
        password = password == null ? "" : password;
        connectTimeout = connectTimeout == null ? DEFAULT_CONNECT_TIMEOUT : connectTimeout;
        if (fetchSize < 1) {
            throw new IllegalArgumentException("fetchSize must be at least 1, was " + fetchSize);
        }
    }

    /** A source with the default connect timeout and fetch size. */
    public MariaDbReaderSettings(
            String source,
            String jdbcUrl,
            String database,
            String user,
            String password,
            int poolSize,
            String captureUser) {
        this(
                source,
                jdbcUrl,
                database,
                user,
                password,
                poolSize,
                DEFAULT_CONNECT_TIMEOUT,
                DEFAULT_FETCH_SIZE,
                captureUser);
    }

    @Override
    public String toString() {
        return "MariaDbReaderSettings[" + source + " " + user + "@" + jdbcUrl + "]";
    }
}
