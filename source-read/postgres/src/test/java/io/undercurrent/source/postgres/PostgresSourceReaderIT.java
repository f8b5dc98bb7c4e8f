package io.undercurrent.source.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.undercurrent.change.ChangeStamp;
import io.undercurrent.query.LiveQuery;
import io.undercurrent.query.TableSchema;
import io.undercurrent.source.NotCapturedYetException;
import io.undercurrent.source.ReadRequest;
import io.undercurrent.source.RowGate;
import io.undercurrent.source.SourceReader;
import io.undercurrent.source.SourceReaderContract;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The PostgreSQL reader against a real PostgreSQL: the seam's contract, and the replication slot check. */
class PostgresSourceReaderIT extends SourceReaderContract {

    private static EmbeddedPostgres postgres;
    private static PostgresSourceReader reader;

    @BeforeAll
    static void start() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
        reader = new PostgresSourceReader(settings(null));
    }

    @AfterAll
    static void stop() throws Exception {
        if (reader != null) {
            reader.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    private static PostgresReaderSettings settings(String slot) {
        return new PostgresReaderSettings(
                "app", postgres.getJdbcUrl("postgres", "postgres"), "postgres", null, 2, slot);
    }

    @BeforeEach
    void emptyTable() throws Exception {
        try (Connection c = postgres.getPostgresDatabase().getConnection();
                Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS public.owned");
            s.execute("CREATE TABLE public.owned (id bigint PRIMARY KEY, owner text, n bigint)");
        }
    }

    @Override
    protected SourceReader reader() {
        return reader;
    }

    @Override
    protected String table() {
        return "public.owned";
    }

    @Override
    protected ChangeStamp insert(int id, String owner, int n) throws Exception {
        return insertCommittedAfter(id, owner, n, () -> {});
    }

    @Override
    protected ChangeStamp insertCommittedAfter(int id, String owner, int n, Runnable whileOpen) throws Exception {
        try (Connection c = postgres.getPostgresDatabase().getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO public.owned VALUES (?, ?, ?)")) {
                insert.setLong(1, id);
                insert.setString(2, owner);
                insert.setLong(3, n);
                insert.executeUpdate();
            }
            String txId;
            // Ingest's change events carry the 32-bit xid, as pgoutput reports it.
            try (Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT txid_current() % 4294967296")) {
                rs.next();
                txId = Long.toString(rs.getLong(1));
            }
            whileOpen.run();
            c.commit();
            return new ChangeStamp(txId, null, null);
        }
    }

    @Test
    void aReadWaitsForTheReplicationSlot() throws Exception {
        try (PostgresSourceReader guarded = new PostgresSourceReader(settings("undercurrent_reader_it"))) {
            TableSchema schema = guarded.schema(table());
            ReadRequest request = new ReadRequest(new LiveQuery("app", table(), null, null, null, null), schema, 10);
            assertThatThrownBy(() -> guarded.read(request, RowGate.ALL))
                    .isInstanceOfSatisfying(NotCapturedYetException.class, e -> {
                        assertThat(e.retriable()).isTrue();
                        assertThat(e.getMessage())
                                .contains("undercurrent_reader_it")
                                .contains("is ingest running?");
                    });
            try (Connection c = postgres.getPostgresDatabase().getConnection();
                    Statement s = c.createStatement()) {
                s.execute("SELECT pg_create_physical_replication_slot('undercurrent_reader_it')");
            }
            assertThat(guarded.read(request, RowGate.ALL).rows()).isEmpty();
        }
    }
}
