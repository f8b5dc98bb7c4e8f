package io.undercurrent.router.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.undercurrent.bus.Delta;
import io.undercurrent.bus.DeltaOp;
import io.undercurrent.bus.SubscriptionId;
import io.undercurrent.bus.SubscriptionRecord;
import io.undercurrent.change.ChangeEvent;
import io.undercurrent.change.Operation;
import io.undercurrent.query.ColumnType;
import io.undercurrent.query.TableSchema;
import io.undercurrent.rules.Access;
import io.undercurrent.rules.Explanation;
import io.undercurrent.rules.RowCondition;
import io.undercurrent.rules.RuleSet;
import io.undercurrent.rules.TableRef;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What one change means to one subscription. Rules here are a plain object: the owner may read a
 * row, and the field {@code note} is visible to admins only.
 */
class DeltaComputerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TableRef TODOS = new TableRef("app", "public.todos");
    private static final TableSchema SCHEMA = new TableSchema(
            "app",
            "public.todos",
            List.of(
                    new TableSchema.Column("id", ColumnType.INTEGER, "int8"),
                    new TableSchema.Column("owner", ColumnType.TEXT, "text"),
                    new TableSchema.Column("done", ColumnType.BOOLEAN, "bool"),
                    new TableSchema.Column("title", ColumnType.TEXT, "text"),
                    new TableSchema.Column("note", ColumnType.TEXT, "text")),
            List.of("id"));

    /** Owner reads; note is for admins. */
    private static final RuleSet RULES = new RuleSet() {
        @Override
        public Access access(TableRef table, Map<String, ?> auth, Map<String, ?> row, long now) {
            boolean allowed = auth != null && auth.get("sub").equals(row.get("owner"));
            boolean admin = auth != null && "admin".equals(auth.get("role"));
            return new Access() {
                public boolean allowed() {
                    return allowed;
                }

                public boolean fieldVisible(String column) {
                    return allowed && (!column.equals("note") || admin);
                }

                public Map<String, Object> project(Map<String, ?> r) {
                    throw new UnsupportedOperationException();
                }
            };
        }

        public boolean hasRule(TableRef table) {
            return true;
        }

        public Set<TableRef> tables() {
            return Set.of(TODOS);
        }

        public Explanation explain(TableRef table, Map<String, ?> auth, Map<String, ?> row, long now) {
            throw new UnsupportedOperationException();
        }

        public String version(TableRef table) {
            return "v";
        }

        public boolean certainlyVisible(TableRef table, Map<String, ?> auth, String column) {
            return !column.equals("note") || auth != null && "admin".equals(auth.get("role"));
        }

        public boolean mayReadAny(TableRef table, Map<String, ?> auth) {
            return auth != null;
        }

        public RowCondition readCondition(TableRef table, Map<String, ?> auth, long now) {
            return auth == null
                    ? RowCondition.FALSE
                    : new RowCondition.Compare("owner", RowCondition.Comparison.EQ, auth.get("sub"));
        }
    };

    private final DeltaComputer computer = new DeltaComputer();

    private static ActiveSubscription subscription(String where, String... fields) throws Exception {
        return subscription(
                Map.of("sub", "alice", "role", "user"),
                "{\"table\":\"public.todos\",\"where\":" + where
                        + (fields.length == 0 ? "" : ",\"fields\":" + JSON.writeValueAsString(fields)) + "}");
    }

    private static ActiveSubscription subscription(Map<String, Object> auth, String frame) throws Exception {
        SubscriptionRecord record = new SubscriptionRecord(
                new SubscriptionId("e", "c", "q"), 1, "app", "public.todos", JSON.readTree(frame), SCHEMA, auth, 0);
        return new ActiveSubscription(record, new QueryCompiler().compile(record), TODOS);
    }

    private static Map<String, Object> row(String owner, boolean done, String title) {
        Map<String, Object> row = new HashMap<>();
        row.put("id", 1L);
        row.put("owner", owner);
        row.put("done", done);
        row.put("title", title);
        row.put("note", "secret");
        return row;
    }

    private static ChangeEvent change(
            Operation op, Map<String, Object> before, Map<String, Object> after, String... unavailable) {
        return new ChangeEvent(
                1,
                "app",
                "public.todos",
                op,
                Map.of("id", 1L),
                before,
                after,
                List.of(unavailable),
                "lsn:1",
                "7",
                0,
                0);
    }

    private Delta compute(String where, ChangeEvent change, String... fields) throws Exception {
        return computer.compute(change, subscription(where, fields), RULES, 0);
    }

    @Test
    void insertOfAReadableMatchingRowIsAddedWithMaskedFieldsLeftOut() throws Exception {
        Delta d = compute("{}", change(Operation.INSERT, null, row("alice", false, "a")));
        assertThat(d.op()).isEqualTo(DeltaOp.ADDED);
        assertThat(d.row()).containsEntry("title", "a").doesNotContainKey("note");
    }

    @Test
    void insertsTheSubscriberMayNotReadOrThatDoNotMatchAreNotSent() throws Exception {
        assertThat(compute("{}", change(Operation.INSERT, null, row("bob", false, "a"))))
                .isNull();
        assertThat(compute("{\"done\":{\"eq\":true}}", change(Operation.INSERT, null, row("alice", false, "a"))))
                .isNull();
    }

    @Test
    void aRowThatStopsBeingReadableIsRemovedNeverSentWithItsNewContents() throws Exception {
        Delta d = compute("{}", change(Operation.UPDATE, row("alice", false, "a"), row("bob", false, "now bob's")));
        assertThat(d.op()).isEqualTo(DeltaOp.REMOVED);
        assertThat(d.row()).isNull();
        assertThat(d.key()).containsEntry("id", 1L);
    }

    @Test
    void aRowThatStartsOrStopsMatchingEntersOrLeaves() throws Exception {
        String open = "{\"done\":{\"eq\":false}}";
        assertThat(compute(open, change(Operation.UPDATE, row("alice", false, "a"), row("alice", true, "a")))
                        .op())
                .isEqualTo(DeltaOp.REMOVED);
        assertThat(compute(open, change(Operation.UPDATE, row("alice", true, "a"), row("alice", false, "a")))
                        .op())
                .isEqualTo(DeltaOp.ADDED);
        assertThat(compute(open, change(Operation.UPDATE, row("alice", true, "a"), row("alice", true, "b"))))
                .isNull();
    }

    @Test
    void anUpdateOnlyToFieldsTheSubscriberCannotSeeSendsNothing() throws Exception {
        Map<String, Object> after = row("alice", false, "a");
        after.put("note", "edited");
        assertThat(compute("{}", change(Operation.UPDATE, row("alice", false, "a"), after)))
                .isNull();
        assertThat(compute("{}", change(Operation.UPDATE, row("alice", false, "a"), row("alice", true, "a")), "title"))
                .isNull();
        assertThat(compute("{}", change(Operation.UPDATE, row("alice", false, "a"), row("alice", false, "b")), "title")
                        .row())
                .containsOnlyKeys("id", "title");
    }

    @Test
    void withoutAnOldImageTheRouterSaysChangedOrRemovedAndTheEdgeDecides() throws Exception {
        assertThat(compute("{}", change(Operation.UPDATE, null, row("alice", false, "a")))
                        .op())
                .isEqualTo(DeltaOp.CHANGED);
        assertThat(compute("{}", change(Operation.UPDATE, null, row("bob", false, "a")))
                        .op())
                .isEqualTo(DeltaOp.REMOVED);
    }

    @Test
    void deletesOfHeldRowsAreRemovedAndOthersAreNotSent() throws Exception {
        assertThat(compute("{}", change(Operation.DELETE, row("alice", false, "a"), null))
                        .op())
                .isEqualTo(DeltaOp.REMOVED);
        assertThat(compute("{}", change(Operation.DELETE, row("bob", false, "a"), null)))
                .isNull();
    }

    @Test
    void aQueryThatFiltersOrOrdersByAFieldHiddenFromItsSubscriberMatchesNothing() throws Exception {
        Map<String, Object> probed = row("alice", false, "a");
        probed.put("note", "guess");
        ChangeEvent insert = change(Operation.INSERT, null, probed);
        ChangeEvent noteEdited = change(Operation.UPDATE, row("alice", false, "a"), probed);
        String probe = "{\"table\":\"public.todos\",\"where\":{\"note\":{\"eq\":\"guess\"}}}";
        String ordered = "{\"table\":\"public.todos\",\"orderBy\":[[\"note\",\"asc\"]],\"limit\":1}";
        Map<String, Object> user = Map.of("sub", "alice", "role", "user");

        assertThat(computer.compute(insert, subscription(user, probe), RULES, 0))
                .isNull();
        assertThat(computer.compute(noteEdited, subscription(user, probe), RULES, 0))
                .isNull();
        assertThat(computer.compute(insert, subscription(user, ordered), RULES, 0))
                .isNull();

        Map<String, Object> admin = Map.of("sub", "alice", "role", "admin");
        assertThat(computer.compute(insert, subscription(admin, probe), RULES, 0)
                        .op())
                .isEqualTo(DeltaOp.ADDED);
        assertThat(computer.compute(noteEdited, subscription(admin, probe), RULES, 0)
                        .op())
                .isEqualTo(DeltaOp.ADDED);
        assertThat(computer.compute(insert, subscription(admin, ordered), RULES, 0)
                        .op())
                .isEqualTo(DeltaOp.ADDED);
    }

    @Test
    void unavailableValuesAreListedAsUnchangedOnlyWhenVisible() throws Exception {
        Map<String, Object> after = row("alice", false, "a");
        after.remove("title");
        after.remove("note");
        Delta d = compute("{}", change(Operation.UPDATE, row("alice", false, "a"), after, "title", "note"));
        assertThat(d.op()).isEqualTo(DeltaOp.CHANGED);
        assertThat(d.unchanged()).containsExactly("title");
    }
}
