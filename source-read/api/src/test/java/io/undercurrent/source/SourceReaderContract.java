package io.undercurrent.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.undercurrent.change.ChangeStamp;
import io.undercurrent.query.ColumnType;
import io.undercurrent.query.Filter;
import io.undercurrent.query.LiveQuery;
import io.undercurrent.query.LiveQueryParser;
import io.undercurrent.query.TableSchema;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * What every {@link SourceReader} must do, whatever its database. An implementation's test extends
 * this class and provides a reader over a fresh, empty table with the columns {@code id} (integer,
 * the primary key; see {@link #key()}), {@code owner} (text) and {@code n} (integer), and a way to write rows to it the
 * way an application would, so the change stream would carry them.
 */
public abstract class SourceReaderContract {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The reader under test; the same instance for every call of one test. */
    protected abstract SourceReader reader();

    /**
     * The name of the key column: {@code id}, or the database's fixed key name (MongoDB's
     * {@code _id}); the table's other columns are {@code owner} and {@code n} whatever it is.
     */
    protected String key() {
        return "id";
    }

    /** The table's full name, as {@link SourceReader#qualify} returns it. */
    protected abstract String table();

    /** Inserts and commits a row; returns the stamp its change event carries. */
    protected abstract ChangeStamp insert(int id, String owner, int n) throws Exception;

    /**
     * Inserts a row in a transaction, runs {@code whileOpen} while that transaction is still open,
     * then commits it; returns the stamp its change event carries.
     */
    protected abstract ChangeStamp insertCommittedAfter(int id, String owner, int n, Runnable whileOpen)
            throws Exception;

    @Test
    void aQualifiedNameStaysAsItIs() {
        assertThat(reader().qualify(table())).isEqualTo(table());
    }

    @Test
    void theSchemaHasTheColumnsInOrderTheirKindsAndTheKey() throws Exception {
        TableSchema schema = reader().schema(table());
        assertThat(schema.source()).isEqualTo(reader().source());
        assertThat(schema.table()).isEqualTo(table());
        assertThat(schema.columns()).extracting(TableSchema.Column::name).containsExactly(key(), "owner", "n");
        assertThat(schema.columns())
                .extracting(TableSchema.Column::type)
                .containsExactly(ColumnType.INTEGER, ColumnType.TEXT, ColumnType.INTEGER);
        assertThat(schema.primaryKey()).containsExactly(key());
    }

    @Test
    void anUnknownTableIsNotRetriable() {
        assertThatThrownBy(() -> reader().schema(table() + "_missing"))
                .isInstanceOfSatisfying(
                        UnknownTableException.class,
                        e -> assertThat(e.retriable()).isFalse());
    }

    @Test
    void rowsAreWholeAndInOrderByThenKeyOrder() throws Exception {
        insert(1, "a", 3);
        insert(2, "b", 1);
        insert(3, "c", 3);
        insert(4, "d", 2);
        ReadResult result = read("{'fields':['owner'],'orderBy':[['n','desc']]}", RowGate.ALL, 100);
        assertThat(result.rows()).extracting(row -> row.get(key())).containsExactly(1L, 3L, 4L, 2L);
        assertThat(result.rows().get(0)).containsOnlyKeys(key(), "owner", "n");
        assertThat(result.rows().get(0)).containsEntry("owner", "a").containsEntry("n", 3L);
    }

    @Test
    void refusedRowsDoNotCountTowardsTheLimit() throws Exception {
        for (int id = 1; id <= 6; id++) {
            insert(id, id % 2 == 0 ? "even" : "odd", id);
        }
        ReadResult result =
                read("{'where':{'n':{'gte':2}},'limit':2}", row -> "odd".equals(row.get("owner")) ? null : row, 100);
        assertThat(result.rows()).extracting(row -> row.get(key())).containsExactly(2L, 4L);
    }

    @Test
    void moreRowsThanAllowedFailTheReadForGood() throws Exception {
        for (int id = 1; id <= 4; id++) {
            insert(id, "o", id);
        }
        assertThatThrownBy(() -> read("{}", RowGate.ALL, 3))
                .isInstanceOfSatisfying(
                        ResultTooLargeException.class,
                        e -> assertThat(e.retriable()).isFalse());
        assertThat(read("{}", row -> (Long) row.get(key()) <= 3 ? row : null, 3).rows())
                .hasSize(3);
    }

    @Test
    void thePushdownNarrowsWhatTheGateSeesButNotTheResult() throws Exception {
        for (int id = 1; id <= 6; id++) {
            insert(id, id <= 2 ? "alice" : "bob", id);
        }
        List<Object> seen = new ArrayList<>();
        RowGate alicesOnly = row -> {
            seen.add(row.get(key()));
            return "alice".equals(row.get("owner")) ? row : null;
        };
        TableSchema schema = reader().schema(table());
        LiveQuery query = query("{}", schema);
        Filter pushdown = query("{'where':{'owner':{'eq':'alice'}}}", schema).where();
        ReadResult narrowed = reader().read(new ReadRequest(query, schema, pushdown, 100), alicesOnly);
        assertThat(seen).containsExactly(1L, 2L);
        seen.clear();
        ReadResult whole = reader().read(new ReadRequest(query, schema, 100), alicesOnly);
        assertThat(seen).hasSize(6);
        assertThat(narrowed.rows()).isEqualTo(whole.rows());
    }

    @Test
    void aReadSeesChangesCommittedBeforeItAndNoneAfter() throws Exception {
        ChangeStamp before = insert(1, "a", 1);
        ReadResult result = read("{}", RowGate.ALL, 100);
        ChangeStamp after = insert(2, "b", 2);
        assertThat(result.rows()).extracting(row -> row.get(key())).containsExactly(1L);
        assertThat(result.point().sees(before)).as("committed before the read").isTrue();
        assertThat(result.point().sees(after)).as("committed after the read").isFalse();
        assertThat(result.point().sees(new ChangeStamp(null, null, null)))
                .as("a stamp that says nothing")
                .isFalse();
        assertThat(result.point().token()).isNotBlank();
    }

    @Test
    void aTransactionOpenDuringTheReadIsNotSeen() throws Exception {
        insert(1, "a", 1);
        AtomicReference<ReadResult> during = new AtomicReference<>();
        ChangeStamp open = insertCommittedAfter(2, "b", 2, () -> {
            try {
                during.set(read("{}", RowGate.ALL, 100));
            } catch (SourceReadException e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(during.get().rows()).extracting(row -> row.get(key())).containsExactly(1L);
        assertThat(during.get().point().sees(open)).isFalse();
        assertThat(read("{}", RowGate.ALL, 100).point().sees(open))
                .as("a read after the commit")
                .isTrue();
    }

    private ReadResult read(String singleQuotedQuery, RowGate gate, int maxRows) throws SourceReadException {
        TableSchema schema = reader().schema(table());
        return reader().read(new ReadRequest(query(singleQuotedQuery, schema), schema, maxRows), gate);
    }

    private LiveQuery query(String singleQuotedQuery, TableSchema schema) {
        try {
            JsonNode json = JSON.readTree(singleQuotedQuery.replace('\'', '"'));
            ((com.fasterxml.jackson.databind.node.ObjectNode) json).put("table", table());
            return new LiveQueryParser().parse(json, schema);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
