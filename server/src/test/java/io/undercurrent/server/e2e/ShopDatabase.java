package io.undercurrent.server.e2e;

import java.sql.Connection;
import java.util.Map;

/**
 * A MySQL-dialect database (MySQL 8 or MariaDB) with a database {@value #DATABASE} and a user holding
 * the grants ingest and the snapshot reader need, declared to the server as source {@value #NAME}.
 */
interface ShopDatabase extends AutoCloseable {

    String NAME = "shop";
    String DATABASE = "app";

    /** The variables that declare this database as source {@value #NAME}. */
    Map<String, String> environment();

    /** A connection to {@value #DATABASE} as root, in auto-commit. */
    Connection connect() throws Exception;

    /** Runs {@code statements} in {@value #DATABASE} as root. */
    void execute(String... statements) throws Exception;
}
