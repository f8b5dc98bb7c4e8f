package io.undercurrent.bench;

import io.undercurrent.source.mariadb.testing.LocalMariaDb;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The database of {@code --source mariadb}: a real MariaDB 11.4 started as the tests start it
 * ({@link LocalMariaDb}: binlog in ROW format with FULL row images, synced at each commit), a
 * database {@value #DATABASE} holding {@code todos} with the columns of the embedded default's demo
 * table, a user with the grants ingest and the snapshot reader need, and the project's rules for
 * todos, pointed at this source, so each client reads its own rows as in the PostgreSQL run.
 */
final class MariaDbSource implements AutoCloseable {

    static final String NAME = "bench";
    static final String DATABASE = "bench";
    static final String TABLE = DATABASE + ".todos";

    private final LocalMariaDb db;
    private final Path rules;

    private MariaDbSource(LocalMariaDb db, Path rules) {
        this.db = db;
        this.rules = rules;
    }

    /** Starts MariaDB in a temporary data dir and prepares the table, the user and the rules (in {@code work}). */
    static MariaDbSource start(Path root, Path work) throws Exception {
        String unsupported = LocalMariaDb.unsupportedReason();
        if (unsupported != null) {
            throw new IllegalStateException("--source mariadb cannot run here: " + unsupported);
        }
        LocalMariaDb db = LocalMariaDb.start();
        try {
            db.execute(
                    "",
                    "CREATE DATABASE " + DATABASE + " CHARACTER SET utf8mb4",
                    "CREATE USER 'uc'@'%' IDENTIFIED BY 'uc-secret'",
                    "GRANT SELECT, RELOAD, REPLICATION SLAVE, BINLOG MONITOR ON *.* TO 'uc'@'%'");
            db.execute(
                    DATABASE,
                    "CREATE TABLE todos (id bigint AUTO_INCREMENT PRIMARY KEY, owner_id varchar(64) NOT NULL,"
                            + " title text NOT NULL, done boolean NOT NULL DEFAULT false, internal_note text,"
                            + " created_at timestamp(6) NOT NULL DEFAULT current_timestamp(6)) ENGINE=InnoDB");
            return new MariaDbSource(db, rules(root, work));
        } catch (Exception e) {
            db.close();
            throw e;
        }
    }

    /** The project's rules for todos (rules/todos.yaml), for this source's table. */
    private static Path rules(Path root, Path work) throws IOException {
        Path dir = Files.createDirectories(work.resolve("rules-mariadb"));
        String todos = Files.readString(root.resolve("rules/todos.yaml"));
        if (!todos.contains("source: app\n") || !todos.contains("table: public.todos\n")) {
            throw new IllegalStateException("rules/todos.yaml no longer names source app and table public.todos: "
                    + "update MariaDbSource.rules");
        }
        Files.writeString(
                dir.resolve("todos.yaml"),
                todos.replace("source: app\n", "source: " + NAME + "\n")
                        .replace("table: public.todos\n", "table: " + TABLE + "\n"));
        return dir;
    }

    /** The variables that declare this database as source {@value #NAME}. */
    Map<String, String> environment() {
        String prefix = "UNDERCURRENT_SOURCES_" + NAME.toUpperCase(java.util.Locale.ROOT) + "_";
        return Map.of(
                prefix + "KIND",
                "mariadb",
                prefix + "HOST",
                db.host(),
                prefix + "PORT",
                Integer.toString(db.port()),
                prefix + "DATABASE",
                DATABASE,
                prefix + "USER",
                "uc",
                prefix + "PASSWORD",
                "uc-secret");
    }

    /** The folder of rules the server serving this source loads. */
    Path rules() {
        return rules;
    }

    /** Where the load is written: {@value #DATABASE}, as root. */
    LoadWriter.Database writerDatabase() {
        return new LoadWriter.Database(db.jdbcUrl(DATABASE), LocalMariaDb.ROOT, "");
    }

    @Override
    public void close() throws InterruptedException {
        db.close();
    }
}
