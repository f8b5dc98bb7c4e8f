package io.undercurrent.server.e2e;

import java.nio.file.Path;
import java.sql.Connection;
import java.util.Map;

/**
 * {@link ConvergenceContract} over a MySQL-dialect {@code todos} table ({@link ShopDatabase}) served by a
 * {@link JoinedServer}: a database's test serves it with {@link #serve} and hands it over in {@link #shop()}.
 */
abstract class ShopConvergenceContract extends ConvergenceContract {

    /** Creates {@code todos} with a row of alice's and one of carol's, and serves {@code db}. */
    static ServedShop serve(ShopDatabase db, Path dataDir, Path rulesDir) throws Exception {
        return ServedShop.start(
                db,
                dataDir,
                rulesDir,
                """
                source: shop
                table: app.todos
                read: "row.owner_id == auth.sub"
                """,
                "CREATE TABLE todos (id bigint AUTO_INCREMENT PRIMARY KEY, owner_id varchar(64) NOT NULL,"
                        + " title text, done boolean NOT NULL DEFAULT false) ENGINE=InnoDB",
                "INSERT INTO todos (owner_id, title) VALUES ('alice', 'v-alice'), ('carol', 'Buy milk')");
    }

    /** The served database and its server. */
    protected abstract ServedShop shop();

    @Override
    protected String liveUrl() {
        return shop().server.liveUrl();
    }

    @Override
    protected String token(String sub) throws Exception {
        return shop().server.token(sub, "user");
    }

    @Override
    protected Connection database() throws Exception {
        return shop().db.connect();
    }

    @Override
    protected Map<String, Object> todos() {
        return Map.of("source", ShopDatabase.NAME, "table", ShopDatabase.DATABASE + ".todos");
    }
}
