package io.undercurrent.source.postgres.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.undercurrent.source.postgres.PostgresReaderSettings;

/** The small connection pool of one PostgreSQL source, for live-query reads and schema reads. */
public final class PgPool {

    private PgPool() {}

    /** Opens the pool; it connects lazily, so a database that is down now does not stop the caller. */
    public static HikariDataSource open(PostgresReaderSettings settings) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("undercurrent-snapshot-" + settings.source());
        config.setJdbcUrl(settings.jdbcUrl());
        config.setUsername(settings.user());
        config.setPassword(settings.password());
        config.setMaximumPoolSize(Math.max(1, settings.poolSize()));
        config.setMinimumIdle(0);
        config.setReadOnly(true);
        config.setAutoCommit(false);
        // Start even when the database is down: reads then fail with a clear error until it is back,
        // while live subscriptions keep flowing.
        config.setInitializationFailTimeout(-1);
        config.setConnectionTimeout(settings.connectTimeout().toMillis());
        return new HikariDataSource(config);
    }
}
