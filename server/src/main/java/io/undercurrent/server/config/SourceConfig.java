package io.undercurrent.server.config;

import io.undercurrent.ingest.SourceKind;
import java.util.List;

/** One configured source database, validated. {@code connectionString} is MongoDB's, null for the others. */
public record SourceConfig(
        String name,
        SourceKind kind,
        String host,
        int port,
        String database,
        String user,
        String password,
        List<String> tables,
        int snapshotPoolSize,
        String connectionString) {

    public SourceConfig(
            String name,
            SourceKind kind,
            String host,
            int port,
            String database,
            String user,
            String password,
            List<String> tables,
            int snapshotPoolSize) {
        this(name, kind, host, port, database, user, password, tables, snapshotPoolSize, null);
    }

    /** The JDBC URL of a PostgreSQL, MySQL or MariaDB source (not MongoDB, which has no JDBC driver). */
    public String jdbcUrl() {
        String scheme = switch (kind) {
            case MARIADB -> "jdbc:mariadb://";
            case MYSQL -> "jdbc:mysql://";
            default -> "jdbc:postgresql://";
        };
        return scheme + host + ":" + port + "/" + database;
    }

    @Override
    public String toString() {
        return name + " (" + kind.name().toLowerCase(java.util.Locale.ROOT) + " " + user + "@" + host + ":" + port + "/"
                + database + ")";
    }
}
