package io.undercurrent.source.mariadb.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.undercurrent.source.mariadb.MariaDbReaderSettings;

/** The small connection pool of one MariaDB source, for live-query reads and schema reads. */
public final class MariaDbPool {

    private MariaDbPool() {}

    /** Opens the pool; it connects lazily, so a database that is down now does not stop the caller. */
    public static HikariDataSource open(MariaDbReaderSettings settings) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("undercurrent-snapshot-" + settings.source());
        config.setJdbcUrl(settings.jdbcUrl());
        config.setUsername(settings.user());
        config.setPassword(settings.password());
        config.setMaximumPoolSize(Math.max(1, settings.poolSize()));
        config.setMinimumIdle(0);
        // Reads open their own transaction (START TRANSACTION WITH CONSISTENT SNAPSHOT); schema reads
        // run in autocommit.
        config.setAutoCommit(true);
        // TIMESTAMP columns are read and compared in UTC, whatever the server's zone: their text is the
        // canonical instant, and filter constants are UTC date-times. utf8mb4 so the bytes of text
        // compared as BINARY are UTF-8 (code-point order).
        config.setConnectionInitSql("SET time_zone = '+00:00', NAMES utf8mb4");
        config.setInitializationFailTimeout(-1);
        config.setConnectionTimeout(settings.connectTimeout().toMillis());
        return new HikariDataSource(config);
    }
}
