package io.undercurrent.server.e2e;

import java.sql.Connection;
import java.util.Map;

/**
 * A MySQL-dialect database (MySQL 8 or MariaDB) with a database {@value #DATABASE} and a user {@code uc}
 * (password {@code uc-secret}) holding the grants ingest and the snapshot reader need, declared to the
 * server as source {@value #NAME}.
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

    /** The variables that declare a {@code kind} database at {@code host}:{@code port} as source {@value #NAME}. */
    static Map<String, String> environment(String kind, String host, int port) {
        return Map.of(
                "UNDERCURRENT_SOURCES_SHOP_KIND",
                kind,
                "UNDERCURRENT_SOURCES_SHOP_HOST",
                host,
                "UNDERCURRENT_SOURCES_SHOP_PORT",
                Integer.toString(port),
                "UNDERCURRENT_SOURCES_SHOP_DATABASE",
                DATABASE,
                "UNDERCURRENT_SOURCES_SHOP_USER",
                "uc",
                "UNDERCURRENT_SOURCES_SHOP_PASSWORD",
                "uc-secret");
    }
}
