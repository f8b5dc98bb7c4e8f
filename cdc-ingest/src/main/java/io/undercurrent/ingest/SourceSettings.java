package io.undercurrent.ingest;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One source database to capture. Built and validated by the server from its configuration.
 *
 * @param name        the source's name in rules and subscriptions, e.g. {@code app}
 * @param kind        which database this is
 * @param host        database host
 * @param port        database port
 * @param database    database name
 * @param user        a user with replication rights
 * @param password    its password (may be empty)
 * @param tables      qualified tables to capture ({@code public.todos}; MySQL/MariaDB {@code db.table};
 *                    MongoDB {@code db.collection}); empty = every table of {@code database}
 * @param options     connector settings passed to Debezium as they are, for what Undercurrent does not
 *                    declare itself (never null)
 * @param connectionString MongoDB only: the connection string ({@code mongodb://host1,host2/?replicaSet=rs0});
 *                    when set it wins over host, port, user and password. Null for other databases.
 */
public record SourceSettings(
        String name,
        SourceKind kind,
        String host,
        int port,
        String database,
        String user,
        String password,
        List<String> tables,
        Map<String, String> options,
        String connectionString) {

    public SourceSettings {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        tables = tables == null ? List.of() : List.copyOf(tables);
        options = options == null ? Map.of() : Map.copyOf(options);
        password = password == null ? "" : password;
    }

    /** A source addressed by host and port (every kind but a MongoDB given by connection string). */
    public SourceSettings(
            String name,
            SourceKind kind,
            String host,
            int port,
            String database,
            String user,
            String password,
            List<String> tables,
            Map<String, String> options) {
        this(name, kind, host, port, database, user, password, tables, options, null);
    }

    /** The replication slot and publication name Undercurrent uses for this source. */
    public String replicationName() {
        return "undercurrent_" + name.replaceAll("[^A-Za-z0-9_]", "_").toLowerCase(java.util.Locale.ROOT);
    }

    @Override
    public String toString() {
        return "SourceSettings[" + name + " " + kind + " " + where() + "]";
    }

    /** Where the database is, for messages: {@code user@host:port/database}, never the password. */
    public String where() {
        if (connectionString != null) {
            return connectionString.replaceAll("//[^@/]*@", "//");
        }
        return user + "@" + host + ":" + port + "/" + database;
    }
}
