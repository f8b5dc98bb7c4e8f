package io.undercurrent.source.mariadb.testing;

import org.testcontainers.containers.MySQLContainer;

/**
 * MySQL 8.4 in a container as ingest and the MySQL reader need it: the binlog on in row format with full
 * row images, and GTIDs on. Run it only where {@link Docker#available()}.
 */
public final class MySql8 {

    private MySql8() {}

    /** A container, not yet started, with {@code database} and a user {@code user} without grants yet. */
    public static MySQLContainer<?> container(String database, String user, String password) {
        return new MySQLContainer<>("mysql:8.4")
                .withDatabaseName(database)
                .withUsername(user)
                .withPassword(password)
                .withCommand(
                        "--server-id=1",
                        "--log-bin=mysql-bin",
                        "--binlog-format=ROW",
                        "--binlog-row-image=FULL",
                        "--gtid-mode=ON",
                        "--enforce-gtid-consistency=ON");
    }
}
