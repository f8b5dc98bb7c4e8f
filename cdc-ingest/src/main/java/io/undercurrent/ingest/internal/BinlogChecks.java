package io.undercurrent.ingest.internal;

import io.undercurrent.ingest.SourceKind;
import io.undercurrent.ingest.SourceSettings;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

/**
 * Start-up checks of a MySQL or MariaDB source: binlog on, ROW format, FULL row image, the user's
 * replication privileges, and a primary key on every captured table. Every problem is reported at once.
 */
final class BinlogChecks {

    private final SourceSettings source;

    BinlogChecks(SourceSettings source) {
        this.source = source;
    }

    List<String> run() {
        boolean mariadb = source.kind() == SourceKind.MARIADB;
        String url = (mariadb ? "jdbc:mariadb://" : "jdbc:mysql://") + source.host() + ":" + source.port() + "/"
                + source.database();
        Properties props = new Properties();
        props.setProperty("connectTimeout", "10000");
        props.setProperty("socketTimeout", "30000");
        if (!mariadb) {
            props.setProperty("allowPublicKeyRetrieval", "true");
        }
        CheckReport report = new CheckReport(source.name());
        try (Connection c = Jdbc.connect(url, source.user(), source.password(), props)) {
            checkBinlog(c, report);
            checkPrivileges(c, report);
            checkTables(c, report);
        } catch (SQLException e) {
            throw FailureClassifier.classify(new SQLException(
                    "checking source '" + source.name() + "' failed: " + e.getMessage(),
                    e.getSQLState(),
                    e.getErrorCode(),
                    e));
        }
        return report.warningsOrThrow();
    }

    private static void checkBinlog(Connection c, CheckReport report) throws SQLException {
        String logBin = Jdbc.string(c, "select @@log_bin");
        if (!"1".equals(logBin) && !"ON".equalsIgnoreCase(logBin)) {
            report.problem(
                    "the binlog is off: start the server with log-bin, server-id, binlog-format=ROW and binlog-row-image=FULL");
            return;
        }
        String format = Jdbc.string(c, "select @@binlog_format");
        if (!"ROW".equalsIgnoreCase(format)) {
            report.problem("binlog_format is " + format
                    + ", change capture needs ROW: SET GLOBAL binlog_format = 'ROW' and put "
                    + "binlog-format=ROW in the server's configuration");
        }
        String image = Jdbc.string(c, "select @@binlog_row_image");
        if (!"FULL".equalsIgnoreCase(image)) {
            report.problem("binlog_row_image is " + image
                    + ", change capture needs FULL (old and new rows complete): SET GLOBAL "
                    + "binlog_row_image = 'FULL' and put binlog-row-image=FULL in the server's configuration");
        }
    }

    private void checkPrivileges(Connection c, CheckReport report) {
        List<String> grants;
        try {
            grants = Jdbc.strings(c, "show grants for current_user()");
        } catch (SQLException e) {
            return; // a server without grant tables (--skip-grant-tables) allows everything
        }
        String all = String.join(" ", grants).toUpperCase(Locale.ROOT);
        if (all.contains("ALL PRIVILEGES ON *.*")) {
            return;
        }
        List<String> missing = new ArrayList<>();
        if (!all.contains("REPLICATION SLAVE") && !all.contains("REPLICATION REPLICA") && !all.contains("REPLICA,")) {
            missing.add("REPLICATION SLAVE");
        }
        if (!all.contains("REPLICATION CLIENT") && !all.contains("BINLOG MONITOR")) {
            missing.add(source.kind() == SourceKind.MARIADB ? "BINLOG MONITOR" : "REPLICATION CLIENT");
        }
        if (!missing.isEmpty()) {
            report.problem("user '" + source.user() + "' lacks " + missing + ": run GRANT " + String.join(", ", missing)
                    + ", SELECT, RELOAD ON *.* TO '" + source.user() + "'");
        }
    }

    private void checkTables(Connection c, CheckReport report) throws SQLException {
        List<String> tables = source.tables().isEmpty()
                ? Jdbc.strings(
                        c,
                        "select concat(table_schema, '.', table_name) from information_schema.tables "
                                + "where table_schema = ? and table_type = 'BASE TABLE'",
                        source.database())
                : source.tables();
        List<String> noKey = new ArrayList<>();
        for (String table : tables) {
            int dot = table.indexOf('.');
            String schema = dot < 0 ? source.database() : table.substring(0, dot);
            String name = table.substring(dot + 1);
            if (Jdbc.string(
                            c,
                            "select 1 from information_schema.tables where table_schema = ? and table_name = ?",
                            schema,
                            name)
                    == null) {
                report.problem(
                        "table " + table
                                + " does not exist (or the user cannot see it): fix the source's tables setting or grant SELECT on it");
            } else if (Jdbc.string(
                            c,
                            "select 1 from information_schema.columns where table_schema = ? and table_name = ? "
                                    + "and column_key = 'PRI' limit 1",
                            schema,
                            name)
                    == null) {
                noKey.add(table);
            }
        }
        if (!noKey.isEmpty()) {
            report.warning("tables " + noKey
                    + " have no primary key, so their changes cannot be addressed and are skipped: add a primary key");
        }
    }
}
