package io.undercurrent.source.mongodb;

import java.time.Duration;
import java.util.Objects;

/**
 * A MongoDB source as its reader reaches it for live-query reads. Must be the replica set (or sharded
 * cluster) ingest reads, since reads are stitched to the change stream by cluster time.
 *
 * @param source           the source name, as in rules and subscriptions
 * @param connectionString e.g. {@code mongodb://u:p@db1,db2,db3/?replicaSet=rs0}
 * @param database         the database a collection name without one belongs to
 * @param connectTimeout   how long a read waits to reach the cluster before it fails as unavailable
 * @param batchSize        documents fetched per round trip while a read streams its result
 */
public record MongoReaderSettings(
        String source, String connectionString, String database, Duration connectTimeout, int batchSize) {

    /** A connection within 10 s, 500 documents per batch. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);

    public static final int DEFAULT_BATCH_SIZE = 500;

    public MongoReaderSettings {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(connectionString, "connectionString");
        Objects.requireNonNull(database, "database");
        connectTimeout = connectTimeout == null ? DEFAULT_CONNECT_TIMEOUT : connectTimeout;
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be at least 1, was " + batchSize);
        }
    }

    /** A source with the default connect timeout and batch size. */
    public MongoReaderSettings(String source, String connectionString, String database) {
        this(source, connectionString, database, DEFAULT_CONNECT_TIMEOUT, DEFAULT_BATCH_SIZE);
    }

    /** Without the connection string, which may hold a password. */
    @Override
    public String toString() {
        return "MongoReaderSettings[" + source + " " + database + "]";
    }
}
