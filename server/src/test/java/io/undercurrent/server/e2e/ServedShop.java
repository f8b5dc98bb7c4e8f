package io.undercurrent.server.e2e;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A {@link ShopDatabase} with its tables and its rules ({@code todos.yaml}) in place, served by a
 * {@link JoinedServer}. Closing it stops the server, then the database.
 */
final class ServedShop implements AutoCloseable {

    final ShopDatabase db;
    final JoinedServer server;

    private ServedShop(ShopDatabase db, JoinedServer server) {
        this.db = db;
        this.server = server;
    }

    /** Runs {@code statements} in {@code db}, writes {@code rules} to {@code rulesDir} and serves it; or closes it. */
    static ServedShop start(ShopDatabase db, Path dataDir, Path rulesDir, String rules, String... statements)
            throws Exception {
        try {
            db.execute(statements);
            Files.writeString(rulesDir.resolve("todos.yaml"), rules);
            return new ServedShop(db, JoinedServer.start(db.environment(), dataDir, rulesDir));
        } catch (Exception | Error e) {
            try {
                db.close();
            } catch (Exception suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    @Override
    public void close() throws Exception {
        try {
            server.close();
        } finally {
            db.close();
        }
    }
}
