package io.undercurrent.ingest.testing;

import io.undercurrent.embedded.LocalPostgres;
import io.undercurrent.ingest.SourceKind;
import io.undercurrent.source.mariadb.testing.LocalMariaDb;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/** A database the no-loss tests write to and restart, whichever kind it is. */
public interface TestDatabase extends AutoCloseable {

    SourceKind kind();

    String host();

    int port();

    String database();

    String user();

    String password();

    String jdbcUrl();

    /** Stops the server and starts it again on the same data and port. */
    void restart() throws Exception;

    default Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), user(), password());
    }

    default void execute(String... statements) throws SQLException {
        try (Connection c = connect();
                Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }

    static TestDatabase postgres(LocalPostgres pg) {
        return new TestDatabase() {
            public SourceKind kind() {
                return SourceKind.POSTGRES;
            }

            public String host() {
                return pg.host();
            }

            public int port() {
                return pg.port();
            }

            public String database() {
                return LocalPostgres.DEFAULT_DATABASE;
            }

            public String user() {
                return pg.user();
            }

            public String password() {
                return pg.password();
            }

            public String jdbcUrl() {
                return pg.jdbcUrl();
            }

            /**
             * A fast shutdown waits until each logical walsender's client has confirmed the shutdown
             * checkpoint, which a client that confirms only what it committed never does before
             * wal_sender_timeout; ending those connections first is what the restart does to ingest anyway.
             */
            public void restart() throws SQLException {
                execute("select pg_terminate_backend(pid) from pg_stat_replication");
                pg.restart();
            }

            public void close() {
                pg.close();
            }
        };
    }

    static TestDatabase mariadb(LocalMariaDb db, String database) throws SQLException {
        db.execute("", "create database if not exists " + database);
        return new TestDatabase() {
            public SourceKind kind() {
                return SourceKind.MARIADB;
            }

            public String host() {
                return db.host();
            }

            public int port() {
                return db.port();
            }

            public String database() {
                return database;
            }

            public String user() {
                return LocalMariaDb.ROOT;
            }

            public String password() {
                return "";
            }

            public String jdbcUrl() {
                return db.jdbcUrl(database);
            }

            public void restart() throws Exception {
                db.restart();
            }

            public void close() throws Exception {
                db.close();
            }
        };
    }
}
