package io.undercurrent.source.mariadb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.undercurrent.change.ChangeStamp;
import io.undercurrent.change.SourceOrder;
import io.undercurrent.query.LiveQuery;
import io.undercurrent.query.TableSchema;
import io.undercurrent.source.NotCapturedYetException;
import io.undercurrent.source.ReadRequest;
import io.undercurrent.source.RowGate;
import io.undercurrent.source.SourceReader;
import io.undercurrent.source.SourceReaderContract;
import io.undercurrent.source.UnknownTableException;
import io.undercurrent.source.mariadb.testing.LocalMariaDb;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The MariaDB reader against a real MariaDB 11.4: the seam's contract, exact table names, and the
 * capture check. The stamps are what ingest's change events carry: {@code sourceOrder} with the
 * binlog position where the change's transaction starts, which, with one writer, is the binlog's
 * end position just before the transaction commits (a read writes nothing to the binlog).
 */
class MariaDbSourceReaderIT extends SourceReaderContract {

    private static LocalMariaDb db;
    private static MariaDbSourceReader reader;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(LocalMariaDb.unsupportedReason() == null, LocalMariaDb.unsupportedReason());
        db = LocalMariaDb.start();
        db.execute("", "CREATE DATABASE app CHARACTER SET utf8mb4");
        reader = new MariaDbSourceReader(settings(null));
    }

    @AfterAll
    static void stop() throws Exception {
        if (reader != null) {
            reader.close();
        }
        if (db != null) {
            db.close();
        }
    }

    private static MariaDbReaderSettings settings(String captureUser) {
        return new MariaDbReaderSettings("app", db.jdbcUrl("app"), "app", LocalMariaDb.ROOT, null, 2, captureUser);
    }

    @BeforeEach
    void emptyTable() throws Exception {
        db.execute(
                "app",
                "DROP TABLE IF EXISTS owned",
                "CREATE TABLE owned (id bigint PRIMARY KEY, owner text, n bigint) ENGINE=InnoDB");
    }

    @Override
    protected SourceReader reader() {
        return reader;
    }

    @Override
    protected String table() {
        return "app.owned";
    }

    @Override
    protected ChangeStamp insert(int id, String owner, int n) throws Exception {
        return insertCommittedAfter(id, owner, n, () -> {});
    }

    @Override
    protected ChangeStamp insertCommittedAfter(int id, String owner, int n, Runnable whileOpen) throws Exception {
        try (Connection c = DriverManager.getConnection(db.jdbcUrl("app"), LocalMariaDb.ROOT, "")) {
            String start = binlogEnd(c);
            c.setAutoCommit(false);
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO owned VALUES (?, ?, ?)")) {
                insert.setLong(1, id);
                insert.setString(2, owner);
                insert.setLong(3, n);
                insert.executeUpdate();
            }
            whileOpen.run();
            c.commit();
            return new ChangeStamp(null, null, start);
        }
    }

    /** The binlog's end, as the {@code sourceOrder} of a transaction that would start there. */
    private static String binlogEnd(Connection c) throws Exception {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SHOW MASTER STATUS")) {
            rs.next();
            String file = rs.getString(1);
            long index = Long.parseLong(file.substring(file.lastIndexOf('.') + 1));
            return SourceOrder.binlog(index, rs.getLong(2), 0, 1);
        }
    }

    @Test
    void aTableNameIsExactAndADatabaseIsPrepended() throws Exception {
        assertThat(reader.qualify("owned")).isEqualTo("app.owned");
        assertThat(reader.schema("owned").table()).isEqualTo("app.owned");
        // information_schema compares names case-insensitively; the reader does not.
        assertThatThrownBy(() -> reader.schema("app.OWNED")).isInstanceOf(UnknownTableException.class);
    }

    @Test
    void aReadWaitsForIngestsBinlogConnection() throws Exception {
        try (MariaDbSourceReader guarded = new MariaDbSourceReader(settings("undercurrent_ingest"))) {
            TableSchema schema = guarded.schema(table());
            ReadRequest request = new ReadRequest(new LiveQuery("app", table(), null, null, null, null), schema, 10);
            assertThatThrownBy(() -> guarded.read(request, RowGate.ALL))
                    .isInstanceOfSatisfying(NotCapturedYetException.class, e -> {
                        assertThat(e.retriable()).isTrue();
                        assertThat(e.getMessage())
                                .contains("undercurrent_ingest")
                                .contains("is ingest running?");
                    });
        }
    }

    @Test
    void aRotatedBinlogKeepsEarlierChangesSeenAndLaterOnesNot() throws Exception {
        ChangeStamp before = insert(1, "a", 1);
        db.execute("app", "FLUSH BINARY LOGS");
        ChangeStamp afterRotation = insert(2, "b", 2);
        var result = reader.read(
                new ReadRequest(new LiveQuery("app", table(), null, null, null, null), reader.schema(table()), 10),
                RowGate.ALL);
        ChangeStamp later = insert(3, "c", 3);
        db.execute("app", "FLUSH BINARY LOGS");
        ChangeStamp muchLater = insert(4, "d", 4);
        assertThat(result.point().sees(before)).isTrue();
        assertThat(result.point().sees(afterRotation)).isTrue();
        assertThat(result.point().sees(later)).isFalse();
        assertThat(result.point().sees(muchLater)).isFalse();
    }
}
