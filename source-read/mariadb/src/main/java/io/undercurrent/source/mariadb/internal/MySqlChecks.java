package io.undercurrent.source.mariadb.internal;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a MySQL source must offer before its reads can be stitched to the change stream: the binary
 * log on, {@code gtid_mode=ON} (a change is placed by its GTID, so every transaction must have one),
 * and the {@code RELOAD} privilege that {@code FLUSH TABLES WITH READ LOCK} needs. Every problem is
 * reported at once, each with what to do.
 */
public final class MySqlChecks {

    private MySqlChecks() {}

    /**
     * @param user the reader's user, for the {@code GRANT} the message suggests
     * @return the problems, empty when the source is fit
     */
    public static List<String> problems(Connection connection, String user) throws SQLException {
        List<String> problems = new ArrayList<>();
        String gtidMode;
        String logBin;
        try (Statement st = connection.createStatement();
                ResultSet rs = st.executeQuery("SELECT @@global.gtid_mode, @@global.log_bin")) {
            rs.next();
            gtidMode = rs.getString(1);
            logBin = rs.getString(2);
        } catch (SQLException e) {
            // MariaDB has no gtid_mode (its GTIDs are always on, in another form).
            problems.add("the server reports no gtid_mode (" + e.getMessage()
                    + "): is it MariaDB? Declare a MariaDB server as a source of kind mariadb");
            gtidMode = null;
            logBin = null;
        }
        if (logBin != null && !"1".equals(logBin) && !"ON".equalsIgnoreCase(logBin)) {
            problems.add("the binary log is off: start MySQL with log-bin (and binlog-format=ROW), which ingest"
                    + " needs too");
        }
        if (gtidMode != null && !"ON".equalsIgnoreCase(gtidMode)) {
            problems.add("gtid_mode is " + gtidMode + ": reads are placed in the change stream by GTID, so every"
                    + " transaction needs one; start MySQL with --gtid-mode=ON --enforce-gtid-consistency=ON");
        }
        if (!mayReload(connection)) {
            problems.add("user '" + user + "' lacks RELOAD, which FLUSH TABLES WITH READ LOCK needs to take a"
                    + " snapshot's GTID set: GRANT RELOAD ON *.* TO '" + user + "'");
        }
        return problems;
    }

    /**
     * From {@code SHOW GRANTS}. Privileges that come through a role do not show there, so a user
     * granted a role is given the benefit of the doubt: the first read's lock then says it plainly.
     */
    private static boolean mayReload(Connection connection) {
        List<String> grants = new ArrayList<>();
        try (Statement st = connection.createStatement();
                ResultSet rs = st.executeQuery("SHOW GRANTS FOR CURRENT_USER()")) {
            while (rs.next()) {
                grants.add(rs.getString(1).toUpperCase(Locale.ROOT));
            }
        } catch (SQLException e) {
            return true; // no grant tables to read: the lock itself will tell
        }
        for (String grant : grants) {
            int on = grant.indexOf(" ON ");
            if (on < 0) {
                return true; // GRANT `role`@`%` TO ...: its privileges are not listed
            }
            // Only the privilege list: a user or database name may contain the word too.
            String privileges = grant.substring(0, on);
            boolean global = grant.startsWith(" *.* ", on + 3);
            if (global && (privileges.contains("ALL PRIVILEGES") || privileges.matches(".*\\bRELOAD\\b.*"))) {
                return true;
            }
        }
        return false;
    }
}
