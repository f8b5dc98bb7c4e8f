package io.undercurrent.ingest.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Per captured table: exists, readable, has a primary key, and logs the full old row (replica identity). */
final class PostgresTableChecks {

    private final Connection connection;
    private final String user;

    PostgresTableChecks(Connection connection, String user) {
        this.connection = connection;
        this.user = user;
    }

    void check(List<String> tables, CheckReport report) throws SQLException {
        List<String> notFull = new ArrayList<>();
        List<String> noKey = new ArrayList<>();
        List<String> unreadable = new ArrayList<>();
        for (String table : tables) {
            String identity = Jdbc.string(
                    connection, "select relreplident::text from pg_class where oid = to_regclass(?)", table);
            if (identity == null) {
                report.problem("table " + table + " does not exist (or user '" + user
                        + "' cannot see its schema): fix the source's tables "
                        + "setting or GRANT USAGE ON SCHEMA to the user");
                continue;
            }
            if (!"f".equals(identity)) {
                notFull.add(table);
            }
            if (Jdbc.string(
                            connection,
                            "select 1 from pg_index where indrelid = to_regclass(?) and indisprimary",
                            table)
                    == null) {
                noKey.add(table);
            }
            if (!"t".equals(Jdbc.string(connection, "select has_table_privilege(to_regclass(?), 'SELECT')", table))) {
                unreadable.add(table);
            }
        }
        if (!unreadable.isEmpty()) {
            report.problem("user '" + user + "' may not read " + unreadable
                    + ", which initial results are read from: run GRANT SELECT ON " + String.join(", ", unreadable)
                    + " TO " + user);
        }
        if (!noKey.isEmpty()) {
            report.warning("tables " + noKey
                    + " have no primary key, so their changes cannot be addressed and are skipped: add a primary key");
        }
        if (!notFull.isEmpty()) {
            report.warning(
                    "tables " + notFull
                            + " do not have REPLICA IDENTITY FULL, so Postgres logs only the primary key of the old row. "
                            + "What you lose: an update does not say what the row was before, so a subscriber whose filter or rules used to match "
                            + "the row learns that it no longer does only from the new row (rules judged on the old row cannot be applied); a delete "
                            + "carries the key alone, so filters and rules on other columns cannot decide who must hear about it; and large (TOASTed) "
                            + "values that an update did not change are missing from it. Fix: ALTER TABLE <table> REPLICA IDENTITY FULL");
        }
    }
}
