package io.undercurrent.server.e2e;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.undercurrent.source.mariadb.testing.LocalMariaDb;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.Map;

/**
 * A real MariaDB 11.4 ({@link LocalMariaDb}) with a database {@value #DATABASE} and a user holding
 * the grants ingest and the snapshot reader need, declared to the server as source {@value #NAME}.
 * A MariaDB source shares Kafka with the embedded infrastructure's demo source {@code app}, so the
 * process serving it joins an embedded infrastructure ({@link JoinedServer}).
 */
final class MariaDbSource implements ShopDatabase {

    private final LocalMariaDb db;

    private MariaDbSource(LocalMariaDb db) {
        this.db = db;
    }

    /** Starts the server, or skips the calling test with the reason MariaDB cannot run here. */
    static MariaDbSource start() throws Exception {
        assumeTrue(LocalMariaDb.unsupportedReason() == null, LocalMariaDb.unsupportedReason());
        LocalMariaDb db = LocalMariaDb.start();
        db.execute(
                "",
                "CREATE DATABASE " + DATABASE + " CHARACTER SET utf8mb4",
                "CREATE USER 'uc'@'%' IDENTIFIED BY 'uc-secret'",
                "GRANT SELECT, RELOAD, REPLICATION SLAVE, BINLOG MONITOR ON *.* TO 'uc'@'%'");
        return new MariaDbSource(db);
    }

    @Override
    public Map<String, String> environment() {
        return ShopDatabase.environment("mariadb", db.host(), db.port());
    }

    @Override
    public Connection connect() throws Exception {
        return DriverManager.getConnection(db.jdbcUrl(DATABASE), LocalMariaDb.ROOT, "");
    }

    @Override
    public void execute(String... statements) throws Exception {
        db.execute(DATABASE, statements);
    }

    @Override
    public void close() throws Exception {
        db.close();
    }
}
