package io.undercurrent.source.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.undercurrent.change.ChangeStamp;
import io.undercurrent.query.ColumnType;
import io.undercurrent.query.Filter;
import io.undercurrent.query.LiveQuery;
import io.undercurrent.query.TableSchema;
import io.undercurrent.query.TableSchema.Column;
import io.undercurrent.source.NotCapturedYetException;
import io.undercurrent.source.ReadPoint;
import io.undercurrent.source.ReadRequest;
import io.undercurrent.source.ReadResult;
import io.undercurrent.source.RowGate;
import io.undercurrent.source.SourceReadException;
import io.undercurrent.source.SourceUnavailableException;
import io.undercurrent.source.UnknownTableException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * The read's skeleton against a recording in-memory JDBC fake: what runs in which order, what a failure
 * ends with, and which exceptions a driver's failures become. The SQL and its rows are each reader's,
 * tested against its real database.
 */
class SnapshotTransactionTest {

    private static final String UNDEFINED_TABLE = "42P01";
    private static final TableSchema ITEMS = new TableSchema(
            "app", "public.items", List.of(new Column("id", ColumnType.INTEGER, "int8")), List.of("id"));
    private static final ReadPoint POINT = new ReadPoint() {
        @Override
        public boolean sees(ChangeStamp change) {
            return false;
        }

        @Override
        public String token() {
            return "p";
        }
    };

    private final List<String> log = new ArrayList<>();
    private List<Long> table = List.of(1L, 2L, 3L);
    private SQLException prepareFails;
    private SQLException rollbackFails;
    private SourceReadException beginFails;

    @Test
    void beginsAtItsPointReadsTheAdmittedRowsAndCommits() throws Exception {
        ReadResult result = read(query(2), 10, RowGate.ALL);

        assertThat(result.point()).isSameAs(POINT);
        assertThat(result.rows()).containsExactly(Map.of("id", 1L), Map.of("id", 2L));
        assertThat(log)
                .containsExactly(
                        "isolation " + Connection.TRANSACTION_REPEATABLE_READ,
                        "begin",
                        "prepare SELECT whole rows",
                        "fetch 7",
                        "commit",
                        "close");
    }

    @Test
    void theStatementSelectsWholeRowsWithoutLimitAndTheLimitCountsAdmittedRows() throws Exception {
        table = List.of(1L, 2L, 3L, 4L);
        RowGate evenOnly = row -> (Long) row.get("id") % 2 == 0 ? row : null;

        ReadResult result = read(query(2), 10, evenOnly);

        assertThat(result.rows()).containsExactly(Map.of("id", 2L), Map.of("id", 4L));
    }

    @Test
    void aFailureRollsBackAndPassesThrough() {
        RuntimeException refused = new IllegalStateException("gate failed");

        assertThatThrownBy(() -> read(query(null), 10, row -> {
                    throw refused;
                }))
                .isSameAs(refused);
        assertThat(log).contains("rollback", "close").doesNotContain("commit");
    }

    @Test
    void aPointOrCaptureFailureRollsBackAndPassesThrough() {
        beginFails = new NotCapturedYetException("not captured");

        assertThatThrownBy(() -> read(query(null), 10, RowGate.ALL)).isSameAs(beginFails);
        assertThat(log)
                .containsExactly("isolation " + Connection.TRANSACTION_REPEATABLE_READ, "begin", "rollback", "close");
    }

    @Test
    void aFailedRollbackIsKeptBesideTheFailureThatCausedIt() {
        table = List.of(1L, 2L);
        rollbackFails = new SQLException("connection lost");

        assertThatThrownBy(() -> read(query(null), 1, RowGate.ALL))
                .isInstanceOf(io.undercurrent.source.ResultTooLargeException.class)
                .satisfies(e -> assertThat(e.getSuppressed()).containsExactly(rollbackFails));
    }

    @Test
    void aMissingTableIsUnknownAndEveryOtherDriverFailureUnavailable() {
        prepareFails = new SQLException("relation does not exist", UNDEFINED_TABLE);
        assertThatThrownBy(() -> read(query(null), 10, RowGate.ALL))
                .isInstanceOf(UnknownTableException.class)
                .hasMessageContaining("public.items");

        prepareFails = new SQLException("connection refused", "08001");
        assertThatThrownBy(() -> read(query(null), 10, RowGate.ALL))
                .isInstanceOf(SourceUnavailableException.class)
                .hasMessage("reading public.items from source \"app\" failed: connection refused")
                .hasCause(prepareFails);
    }

    private static LiveQuery query(Integer limit) {
        return new LiveQuery("app", "public.items", Filter.matchAll(), List.of("id"), List.of(), limit);
    }

    private ReadResult read(LiveQuery query, int maxRows, RowGate gate) throws SourceReadException {
        return new Reads().read(new ReadRequest(query, ITEMS, maxRows), gate);
    }

    private final class Reads extends SnapshotTransaction {
        Reads() {
            super(
                    "app",
                    dataSource(),
                    7,
                    UNDEFINED_TABLE,
                    SnapshotTransactionTest::select,
                    SnapshotTransactionTest::rowReader);
        }

        @Override
        protected ReadPoint begin(Connection connection) throws SourceReadException {
            log.add("begin");
            if (beginFails != null) {
                throw beginFails;
            }
            return POINT;
        }
    }

    private static SqlQuery select(LiveQuery wholeRows, TableSchema schema) {
        assertThat(wholeRows.fields()).isNull();
        assertThat(wholeRows.limit()).isNull();
        return new SqlQuery("SELECT whole rows", List.of());
    }

    private static ResultRowReader rowReader(TableSchema schema) {
        return new ResultRowReader(schema) {
            @Override
            protected Object value(ResultSet rs, int index, Column column) throws SQLException {
                return rs.getLong(index);
            }
        };
    }

    private DataSource dataSource() {
        return fake(DataSource.class, (method, args) -> method.equals("getConnection") ? connection() : null);
    }

    private Connection connection() {
        return fake(Connection.class, (method, args) -> {
            switch (method) {
                case "setTransactionIsolation" -> log.add("isolation " + args[0]);
                case "prepareStatement" -> {
                    if (prepareFails != null) {
                        throw prepareFails;
                    }
                    log.add("prepare " + args[0]);
                    return statement();
                }
                case "commit" -> log.add("commit");
                case "rollback" -> {
                    log.add("rollback");
                    if (rollbackFails != null) {
                        throw rollbackFails;
                    }
                }
                case "close" -> log.add("close");
                default -> {}
            }
            return null;
        });
    }

    private PreparedStatement statement() {
        return fake(PreparedStatement.class, (method, args) -> {
            switch (method) {
                case "setFetchSize" -> log.add("fetch " + args[0]);
                case "executeQuery" -> {
                    return rows();
                }
                default -> {}
            }
            return null;
        });
    }

    private ResultSet rows() {
        int[] at = {-1};
        ResultSetMetaData meta = fake(ResultSetMetaData.class, (method, args) -> switch (method) {
            case "getColumnCount" -> 1;
            case "getColumnLabel" -> "id";
            default -> null;
        });
        return fake(ResultSet.class, (method, args) -> switch (method) {
            case "next" -> ++at[0] < table.size();
            case "getMetaData" -> meta;
            case "getLong" -> table.get(at[0]);
            default -> null;
        });
    }

    private interface Answer {
        Object answer(String method, Object[] args) throws Exception;
    }

    private static <T> T fake(Class<T> type, Answer answer) {
        return type.cast(Proxy.newProxyInstance(
                type.getClassLoader(),
                new Class<?>[] {type},
                (proxy, method, args) -> answer.answer(method.getName(), args)));
    }
}
