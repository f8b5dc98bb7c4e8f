package io.undercurrent.server.e2e;

import io.undercurrent.source.mariadb.testing.MySql8;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Map;
import org.testcontainers.containers.MySQLContainer;

/**
 * A real MySQL 8.4 in a container, with the binlog and GTIDs on, a database {@value #DATABASE} and a
 * user holding the grants ingest and the snapshot reader need (SELECT, RELOAD, REPLICATION CLIENT,
 * REPLICATION SLAVE), declared to the server as source {@value #NAME}. Only where a Docker engine runs.
 */
final class MySqlSource implements ShopDatabase {

    private final MySQLContainer<?> mysql;

    private MySqlSource(MySQLContainer<?> mysql) {
        this.mysql = mysql;
    }

    /** Starts the container; the caller checks first that a Docker engine runs. */
    static MySqlSource start() throws Exception {
        MySQLContainer<?> mysql = MySql8.container(DATABASE, "uc", "uc-secret");
        mysql.start();
        MySqlSource source = new MySqlSource(mysql);
        try (Connection c = source.connect();
                Statement s = c.createStatement()) {
            s.execute("GRANT SELECT, RELOAD, REPLICATION CLIENT, REPLICATION SLAVE ON *.* TO 'uc'@'%'");
        }
        return source;
    }

    @Override
    public Map<String, String> environment() {
        return ShopDatabase.environment("mysql", mysql.getHost(), mysql.getMappedPort(3306));
    }

    @Override
    public Connection connect() throws Exception {
        return DriverManager.getConnection(mysql.getJdbcUrl(), "root", mysql.getPassword());
    }

    @Override
    public void execute(String... statements) throws Exception {
        try (Connection c = connect();
                Statement s = c.createStatement()) {
            for (String statement : statements) {
                s.execute(statement);
            }
        }
    }

    @Override
    public void close() {
        mysql.stop();
    }
}
