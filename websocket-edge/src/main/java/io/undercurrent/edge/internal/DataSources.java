package io.undercurrent.edge.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.undercurrent.edge.SourceDatabase;
import java.util.HashMap;
import java.util.Map;
import javax.sql.DataSource;

/** One small connection pool per source database, for snapshots and schema reads. Thread-safe. */
final class DataSources implements AutoCloseable {

    private final Map<String, HikariDataSource> pools = new HashMap<>();
    private final Map<String, String> slots = new HashMap<>();

    DataSources(Map<String, SourceDatabase> sources) {
        sources.forEach((name, db) -> {
            HikariConfig config = new HikariConfig();
            config.setPoolName("undercurrent-snapshot-" + name);
            config.setJdbcUrl(db.jdbcUrl());
            config.setUsername(db.user());
            config.setPassword(db.password());
            config.setMaximumPoolSize(Math.max(1, db.poolSize()));
            config.setMinimumIdle(0);
            config.setReadOnly(true);
            config.setAutoCommit(false);
            // Start even when the database is down: snapshots then fail with a clear error until it
            // is back, while live subscriptions keep flowing.
            config.setInitializationFailTimeout(-1);
            config.setConnectionTimeout(10_000);
            pools.put(name, new HikariDataSource(config));
            if (db.replicationSlot() != null) {
                slots.put(name, db.replicationSlot());
            }
        });
    }

    /** The pool of a source, or null when no such source is configured. */
    DataSource get(String source) {
        return pools.get(source);
    }

    /** The replication slot that must exist before a snapshot of this source is served, or null. */
    String replicationSlot(String source) {
        return slots.get(source);
    }

    boolean has(String source) {
        return pools.containsKey(source);
    }

    @Override
    public void close() {
        pools.values().forEach(HikariDataSource::close);
    }
}
