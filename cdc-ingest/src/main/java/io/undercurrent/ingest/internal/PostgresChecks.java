package io.undercurrent.ingest.internal;

import io.undercurrent.ingest.SourceSettings;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * Start-up checks of a Postgres source: {@code wal_level}, the user's replication right, the slot and
 * publication (and whether this user may create or change them), and per captured table its
 * existence, SELECT privilege, primary key and replica identity. Every problem is reported at once.
 */
final class PostgresChecks {

    private final SourceSettings source;

    PostgresChecks(SourceSettings source) {
        this.source = source;
    }

    List<String> run() {
        String url = "jdbc:postgresql://" + source.host() + ":" + source.port() + "/" + source.database();
        Properties props = new Properties();
        props.setProperty("connectTimeout", "10");
        props.setProperty("socketTimeout", "30");
        props.setProperty("ApplicationName", "undercurrent-check-" + source.name());
        CheckReport report = new CheckReport(source.name());
        try (Connection c = Jdbc.connect(url, source.user(), source.password(), props)) {
            checkServer(c, report);
            boolean superuser =
                    "t".equals(Jdbc.string(c, "select rolsuper from pg_roles where rolname = current_user"));
            checkSlot(c, report);
            List<String> tables = checkPublication(c, report, superuser);
            new PostgresTableChecks(c, source.user()).check(tables, report);
        } catch (SQLException e) {
            throw FailureClassifier.classify(new SQLException(
                    "checking source '" + source.name() + "' failed: " + e.getMessage(),
                    e.getSQLState(),
                    e.getErrorCode(),
                    e));
        }
        return report.warningsOrThrow();
    }

    private void checkServer(Connection c, CheckReport report) throws SQLException {
        String walLevel = Jdbc.string(c, "show wal_level");
        if (!"logical".equals(walLevel)) {
            report.problem(
                    "wal_level is '" + walLevel
                            + "', change capture needs 'logical': run ALTER SYSTEM SET wal_level = logical "
                            + "as a superuser (or set it in postgresql.conf; on a managed service, its logical replication flag) and restart PostgreSQL");
        }
        String canReplicate =
                Jdbc.string(c, "select rolsuper or rolreplication from pg_roles where rolname = current_user");
        if (!"t".equals(canReplicate)) {
            report.problem("user '" + source.user() + "' may not read the change log: run ALTER ROLE " + source.user()
                    + " WITH REPLICATION");
        }
    }

    private void checkSlot(Connection c, CheckReport report) throws SQLException {
        String slot = source.replicationName();
        String plugin = Jdbc.string(c, "select plugin from pg_replication_slots where slot_name = ?", slot);
        if (plugin == null) {
            return; // created by ingest at first start, from the current end of the change log
        }
        if (!"pgoutput".equals(plugin)) {
            report.problem("replication slot '" + slot + "' exists with plugin '" + plugin
                    + "', ingest needs 'pgoutput': drop it with " + "SELECT pg_drop_replication_slot('" + slot
                    + "') if nothing else uses it");
        }
        String database = Jdbc.string(c, "select database from pg_replication_slots where slot_name = ?", slot);
        if (database != null && !database.equals(source.database())) {
            report.problem("replication slot '" + slot + "' belongs to database '" + database + "', not '"
                    + source.database() + "': give this source another name, or drop that slot");
        }
    }

    /** Checks the publication; returns the tables that will be captured. */
    private List<String> checkPublication(Connection c, CheckReport report, boolean superuser) throws SQLException {
        String publication = source.replicationName();
        String allTables = Jdbc.string(c, "select puballtables from pg_publication where pubname = ?", publication);
        if (source.tables().isEmpty()) {
            if (allTables == null && !superuser) {
                report.problem("publication '" + publication
                        + "' does not exist and only a superuser may create one FOR ALL TABLES: "
                        + "have one run CREATE PUBLICATION " + publication
                        + " FOR ALL TABLES, or list the tables to capture");
            } else if ("f".equals(allTables)) {
                report.warning("publication '" + publication
                        + "' lists its tables, so tables created later are not captured until "
                        + "someone runs ALTER PUBLICATION " + publication + " ADD TABLE <table>");
            }
            return allTables == null
                    ? Jdbc.strings(
                            c,
                            "select schemaname || '.' || tablename from pg_tables where schemaname not in ('pg_catalog', 'information_schema')")
                    : Jdbc.strings(
                            c,
                            "select schemaname || '.' || tablename from pg_publication_tables where pubname = ?",
                            publication);
        }
        if ("t".equals(allTables)) {
            report.problem("publication '" + publication
                    + "' is FOR ALL TABLES but the source lists tables: drop it (DROP PUBLICATION " + publication
                    + ") so ingest creates one for the listed tables, or remove the tables setting");
            return source.tables();
        }
        List<String> notPublished = new ArrayList<>();
        for (String table : source.tables()) {
            boolean published = allTables != null
                    && Jdbc.string(
                                    c,
                                    "select 1 from pg_publication_tables where pubname = ? "
                                            + "and schemaname || '.' || tablename = ?",
                                    publication,
                                    table)
                            != null;
            if (!published
                    && !"t"
                            .equals(Jdbc.string(
                                    c,
                                    "select pg_has_role(current_user, c.relowner, 'USAGE') from pg_class c "
                                            + "where c.oid = to_regclass(?)",
                                    table))) {
                notPublished.add(table);
            }
        }
        if (!notPublished.isEmpty() && !superuser) {
            String sql = allTables == null
                    ? "CREATE PUBLICATION " + publication + " FOR TABLE " + String.join(", ", notPublished)
                    : "ALTER PUBLICATION " + publication + " ADD TABLE " + String.join(", ", notPublished);
            report.problem("only a table's owner may add it to a publication, and user '" + source.user()
                    + "' does not own " + notPublished + ": have the owner run " + sql);
        }
        return source.tables();
    }
}
