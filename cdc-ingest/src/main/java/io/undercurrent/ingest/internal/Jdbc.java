package io.undercurrent.ingest.internal;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/** Small JDBC helpers for the start-up checks, which run a handful of catalogue queries. */
final class Jdbc {

    private Jdbc() {}

    /**
     * Opens a connection with short timeouts, so an unreachable database is reported within seconds.
     *
     * @throws io.undercurrent.ingest.SourceException classified: refused logins need action, network errors are retriable
     */
    static Connection connect(String url, String user, String password, Properties extra) {
        Properties p = new Properties();
        p.putAll(extra);
        p.setProperty("user", user == null ? "" : user);
        p.setProperty("password", password == null ? "" : password);
        try {
            DriverManager.setLoginTimeout(10);
            return DriverManager.getConnection(url, p);
        } catch (SQLException e) {
            throw FailureClassifier.classify(new SQLException(
                    "cannot connect to " + url.replaceFirst("\\?.*", "") + " as " + user + ": " + e.getMessage(),
                    e.getSQLState(),
                    e.getErrorCode(),
                    e));
        }
    }

    /** The first column of every row, as text. */
    static List<String> strings(Connection c, String sql, Object... args) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                s.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    /** The first column of the first row, or null when there is no row. */
    static String string(Connection c, String sql, Object... args) throws SQLException {
        List<String> all = strings(c, sql, args);
        return all.isEmpty() ? null : all.get(0);
    }
}
