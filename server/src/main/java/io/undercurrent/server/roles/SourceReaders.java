package io.undercurrent.server.roles;

import io.undercurrent.ingest.SourceKind;
import io.undercurrent.ingest.SourceSettings;
import io.undercurrent.server.config.Config;
import io.undercurrent.server.config.SourceConfig;
import io.undercurrent.source.SourceReader;
import io.undercurrent.source.mariadb.MariaDbReaderSettings;
import io.undercurrent.source.mariadb.MariaDbSourceReader;
import io.undercurrent.source.mariadb.MySqlSourceReader;
import io.undercurrent.source.mongodb.MongoReaderSettings;
import io.undercurrent.source.mongodb.MongoSourceReader;
import io.undercurrent.source.postgres.PostgresReaderSettings;
import io.undercurrent.source.postgres.PostgresSourceReader;
import java.util.LinkedHashMap;
import java.util.Map;

/** Picks the source reader for each configured source by its kind: the one place that knows the implementations. */
final class SourceReaders {

    private SourceReaders() {}

    /**
     * Opens a reader for every source that can serve live queries. The caller closes them.
     *
     * @return readers by source name, in configuration order
     */
    static Map<String, SourceReader> open(Config config) {
        Map<String, SourceReader> readers = new LinkedHashMap<>();
        for (SourceConfig s : config.sources().values()) {
            // Initial results are read in a snapshot stitched to the change stream: every kind has a reader.
            if (s.kind() == SourceKind.MYSQL) {
                // Stitched by GTID: each read takes the executed GTID set under a brief global read lock
                // (RELOAD), so the source needs gtid_mode=ON. The MariaDB driver speaks to MySQL; the
                // public key lets a caching_sha2_password user log in without TLS, as ingest's checks do.
                readers.put(
                        s.name(),
                        new MySqlSourceReader(new MariaDbReaderSettings(
                                s.name(),
                                "jdbc:mariadb://" + s.host() + ":" + s.port() + "/" + s.database()
                                        + "?allowPublicKeyRetrieval=true",
                                s.database(),
                                s.user(),
                                s.password(),
                                s.snapshotPoolSize(),
                                s.user())));
            } else if (s.kind() == SourceKind.MARIADB) {
                // Ingest reads the binlog as the same user, whose own connections the reader may see:
                // a first read waits until ingest's binlog connection is up.
                readers.put(
                        s.name(),
                        new MariaDbSourceReader(new MariaDbReaderSettings(
                                s.name(),
                                s.jdbcUrl(),
                                s.database(),
                                s.user(),
                                s.password(),
                                s.snapshotPoolSize(),
                                s.user())));
            } else if (s.kind() == SourceKind.POSTGRES) {
                // A read is served only once ingest's slot exists, so no change after it can be missed.
                String slot = new SourceSettings(
                                s.name(),
                                s.kind(),
                                s.host(),
                                s.port(),
                                s.database(),
                                s.user(),
                                s.password(),
                                s.tables(),
                                Map.of())
                        .replicationName();
                readers.put(
                        s.name(),
                        new PostgresSourceReader(new PostgresReaderSettings(
                                s.name(), s.jdbcUrl(), s.user(), s.password(), s.snapshotPoolSize(), slot)));
            } else if (s.kind() == SourceKind.MONGODB) {
                // Stitched by cluster time: snapshot reads need the replica set ingest streams from.
                readers.put(
                        s.name(),
                        new MongoSourceReader(
                                new MongoReaderSettings(s.name(), mongoConnectionString(s), s.database())));
            }
        }
        return readers;
    }

    /** The source's connection string, or one built from host, port and credentials as ingest builds it. */
    private static String mongoConnectionString(SourceConfig s) {
        if (s.connectionString() != null) {
            return s.connectionString();
        }
        String credentials = s.user() == null || s.user().isEmpty()
                ? ""
                : java.net.URLEncoder.encode(s.user(), java.nio.charset.StandardCharsets.UTF_8) + ":"
                        + java.net.URLEncoder.encode(
                                s.password() == null ? "" : s.password(), java.nio.charset.StandardCharsets.UTF_8)
                        + "@";
        return "mongodb://" + credentials + s.host() + ":" + s.port() + "/";
    }
}
