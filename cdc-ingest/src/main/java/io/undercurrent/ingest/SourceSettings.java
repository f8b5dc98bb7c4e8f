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
 * @param tables      qualified tables to capture ({@code public.todos}); empty = every table
 * @param options     connector settings passed to Debezium as they are, for what Undercurrent does not
 *                    declare itself (never null)
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
        Map<String, String> options) {

    public SourceSettings {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        tables = tables == null ? List.of() : List.copyOf(tables);
        options = options == null ? Map.of() : Map.copyOf(options);
        password = password == null ? "" : password;
    }

    /** The replication slot and publication name Undercurrent uses for this source. */
    public String replicationName() {
        return "undercurrent_" + name.replaceAll("[^A-Za-z0-9_]", "_").toLowerCase(java.util.Locale.ROOT);
    }

    @Override
    public String toString() {
        return "SourceSettings[" + name + " " + kind + " " + user + "@" + host + ":" + port + "/" + database + "]";
    }
}
