package io.undercurrent.source.postgres;

import java.time.Duration;
import java.util.Objects;

/**
 * A PostgreSQL source as its reader reaches it for live-query reads. Must be the same database ingest
 * reads (or a replica of it), since reads are stitched to the change stream by transaction id.
 *
 * @param source          the source name, as in rules and subscriptions
 * @param jdbcUrl         e.g. {@code jdbc:postgresql://localhost:5432/app}
 * @param user            a user that may read the captured tables
 * @param password        its password
 * @param poolSize        most connections the reader opens for this source
 * @param connectTimeout  how long a read waits for a connection before it fails as unavailable
 * @param fetchSize       rows fetched per round trip while a read streams its result
 * @param replicationSlot the slot ingest streams this source through, or null to skip the check.
 *                        A read is only served once the slot exists: a change committed after the
 *                        read but before the slot existed would never be streamed.
 */
public record PostgresReaderSettings(
        String source,
        String jdbcUrl,
        String user,
        String password,
        int poolSize,
        Duration connectTimeout,
        int fetchSize,
        String replicationSlot) {

    /** Today's defaults: a connection within 10 s, 500 rows per fetch. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);

    public static final int DEFAULT_FETCH_SIZE = 500;

    public PostgresReaderSettings {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        password = password == null ? "" : password;
        connectTimeout = connectTimeout == null ? DEFAULT_CONNECT_TIMEOUT : connectTimeout;
        if (fetchSize < 1) {
            throw new IllegalArgumentException("fetchSize must be at least 1, was " + fetchSize);
        }
    }

    /** A source with the default connect timeout and fetch size. */
    public PostgresReaderSettings(
            String source, String jdbcUrl, String user, String password, int poolSize, String replicationSlot) {
        this(source, jdbcUrl, user, password, poolSize, DEFAULT_CONNECT_TIMEOUT, DEFAULT_FETCH_SIZE, replicationSlot);
    }

    @Override
    public String toString() {
        return "PostgresReaderSettings[" + source + " " + user + "@" + jdbcUrl + "]";
    }
}
