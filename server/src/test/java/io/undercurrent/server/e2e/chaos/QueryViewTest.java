package io.undercurrent.server.e2e.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.undercurrent.rules.TableRef;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The chaos test's frame checker finds each broken invariant it claims to, and nothing in a correct stream. */
class QueryViewTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TABLE = "public.chaos_0";
    private static final Persona ALICE = new Persona("alice", "user", 0);

    @TempDir
    Path scratch;

    private RuleHistory rules;
    private Violations violations;
    private VersionLog versions;

    @BeforeEach
    void rules() throws Exception {
        rules = new RuleHistory(new TableRef("app", TABLE), scratch);
        rules.add(RuleVariant.ALL.get(0), RuleVariant.ALL.get(0).yaml(TABLE, false));
        rules.confirm();
        violations = new Violations();
        versions = new VersionLog();
    }

    private QueryView view(QueryShape shape, Persona persona, boolean splitsFail) {
        QueryView view =
                new QueryView("test", shape, rules, persona.claims(), violations, new Stats(), splitsFail, versions);
        view.subscribed("q1", false);
        return view;
    }

    private QueryView view() {
        return view(new QueryShape(null, null, List.of(), null), ALICE, true);
    }

    private static String row(long id, String owner, long ver, long tx) {
        return "{\"id\":" + id + ",\"owner_id\":\"" + owner
                + "\",\"grp\":0,\"pub\":false,\"score\":1,\"title\":\"t\",\"ver\":" + ver + ",\"tx\":" + tx + "}";
    }

    private static JsonNode snapshot(String... rows) throws Exception {
        return JSON.readTree("{\"type\":\"snapshot\",\"id\":\"q1\",\"keyColumns\":[\"id\"],\"rows\":["
                + String.join(",", rows) + "],\"position\":\"p\"}");
    }

    private static JsonNode changes(String... changes) throws Exception {
        return JSON.readTree("{\"type\":\"changes\",\"id\":\"q1\",\"changes\":[" + String.join(",", changes)
                + "],\"position\":\"p\"}");
    }

    private static String added(String row) {
        return "{\"op\":\"added\",\"key\":{\"id\":" + idOf(row) + "},\"row\":" + row + "}";
    }

    private static String changed(String row) {
        return "{\"op\":\"changed\",\"key\":{\"id\":" + idOf(row) + "},\"row\":" + row + "}";
    }

    private static String removed(long id) {
        return "{\"op\":\"removed\",\"key\":{\"id\":" + id + "}}";
    }

    private static long idOf(String row) {
        try {
            return JSON.readTree(row).path("id").asLong();
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static JsonNode reset() throws Exception {
        return reset("rules changed");
    }

    private static JsonNode reset(String reason) throws Exception {
        return JSON.readTree("{\"type\":\"reset\",\"id\":\"q1\",\"reason\":\"" + reason + "\"}");
    }

    private static JsonNode resumed() throws Exception {
        return JSON.readTree("{\"type\":\"resumed\",\"id\":\"q1\"}");
    }

    /** Leaves and comes back with the position of the last frame applied. */
    private static void resume(QueryView q) {
        assertThat(q.position()).isNotNull();
        q.lost("away", false);
        q.subscribed("q1", true);
    }

    private String only() {
        assertThat(violations.kept()).hasSize(1);
        return violations.kept().get(0);
    }

    @Test
    void aCorrectStreamPasses() throws Exception {
        QueryView q = view();
        q.onFrame(snapshot(row(1, "alice", 1, 1)), false);
        q.onFrame(changes(added(row(2, "alice", 1, 2)), changed(row(1, "alice", 2, 2))), false);
        q.onFrame(changes(removed(2)), false);
        q.onFrame(reset(), false);
        q.onFrame(snapshot(row(1, "alice", 2, 2)), false);
        q.onFrame(changes(changed(row(1, "alice", 3, 3))), false);
        assertThat(violations.kept()).isEmpty();
        assertThat(q.rows()).containsOnlyKeys(1L);
    }

    @Test
    void anAddedKeyAlreadyHeldIsCaught() throws Exception {
        QueryView q = view();
        q.onFrame(snapshot(row(1, "alice", 1, 1)), false);
        q.onFrame(changes(added(row(1, "alice", 2, 2))), false);
        assertThat(only()).contains("added key 1, which the client already holds");
    }

    @Test
    void aChangeOrRemovalOfAKeyNotHeldIsCaught() throws Exception {
        QueryView q = view();
        q.onFrame(snapshot(), false);
        q.onFrame(changes(changed(row(1, "alice", 2, 2)), removed(7)), false);
        assertThat(violations.kept()).hasSize(2);
        assertThat(violations.kept().get(0)).contains("changed key 1, which the client does not hold");
        assertThat(violations.kept().get(1)).contains("removed key 7, which the client does not hold");
    }

    @Test
    void aVersionGoingBackOrRepeatingIsCaught() throws Exception {
        QueryView q = view(
                new QueryShape(null, null, List.of(), null), ALICE, false); // the repeat is a split transaction too
        q.onFrame(snapshot(row(1, "alice", 3, 1)), false);
        q.onFrame(changes(changed(row(1, "alice", 2, 2))), false);
        q.onFrame(changes(changed(row(1, "alice", 4, 3))), false);
        q.onFrame(changes(changed(row(1, "alice", 4, 3))), false);
        assertThat(violations.kept()).hasSize(2);
        assertThat(violations.kept().get(0)).contains("row 1 went back from version 3 to 2");
        assertThat(violations.kept().get(1)).contains("row 1 version 4 arrived again");
    }

    @Test
    void aVersionGoingBackAcrossAResetIsCaught() throws Exception {
        QueryView q = view();
        q.onFrame(snapshot(row(1, "alice", 3, 1)), false);
        q.onFrame(reset(), false);
        q.onFrame(snapshot(row(1, "alice", 2, 1)), false);
        assertThat(only()).contains("went back from version 3 to 2");
    }

    @Test
    void changesBeforeTheSnapshotOrAfterAResetAreCaught() throws Exception {
        QueryView q = view();
        q.onFrame(changes(added(row(1, "alice", 1, 1))), false);
        q.onFrame(snapshot(), false);
        q.onFrame(reset(), false);
        q.onFrame(changes(added(row(2, "alice", 1, 2))), false);
        q.onFrame(reset(), false);
        assertThat(violations.kept()).hasSize(3);
        assertThat(violations.kept().get(0)).contains("changes while PENDING");
        assertThat(violations.kept().get(1)).contains("changes while RESET");
        assertThat(violations.kept().get(2)).contains("reset while RESET");
    }

    @Test
    void aRowTheRulesDenyIsALeak() throws Exception {
        QueryView q = view();
        q.onFrame(snapshot(row(1, "bob", 1, 1)), false);
        assertThat(only()).contains("LEAK").contains("denies the row");
    }

    @Test
    void aMaskedFieldIsALeakUnlessTheRuleShowsIt() throws Exception {
        String withSecret =
                "{\"id\":1,\"owner_id\":\"alice\",\"grp\":0,\"pub\":false,\"score\":1,\"title\":\"t\",\"secret\":\"s\","
                        + "\"ver\":1,\"tx\":1}";
        view().onFrame(snapshot(withSecret), false);
        assertThat(only()).contains("LEAK").contains("allows the row with columns");

        violations = new Violations();
        view(new QueryShape(null, null, List.of(), null), new Persona("root", "admin", 3), true)
                .onFrame(snapshot(withSecret), false);
        assertThat(violations.kept()).isEmpty();
    }

    @Test
    void aFieldTheRulesShowMustNotBeMissing() throws Exception {
        QueryShape asksForTitle =
                new QueryShape(null, List.of("owner_id", "grp", "pub", "score", "ver", "tx", "title"), List.of(), null);
        String noTitle = "{\"id\":1,\"owner_id\":\"alice\",\"grp\":0,\"pub\":false,\"score\":1,\"ver\":1,\"tx\":1}";
        view(asksForTitle, ALICE, true).onFrame(snapshot(noTitle), false);
        assertThat(only()).contains("LEAK");
    }

    @Test
    void aRowOnlyTheOldRuleAllowsPassesUntilTheResetThatFollowsAnEdit() throws Exception {
        QueryView q = view();
        q.onFrame(snapshot(), false);
        rules.add(RuleVariant.ALL.get(1), RuleVariant.ALL.get(1).yaml(TABLE, true)); // written, not yet confirmed
        String bobsRowInAlicesGroup = row(1, "bob", 1, 1);
        q.onFrame(changes(added(bobsRowInAlicesGroup)), false);
        assertThat(violations.kept())
                .as("the new rule lets alice read her group's rows")
                .isEmpty();
        rules.confirm();
        q.onFrame(reset(), false);
        String alicesRowInAnotherGroup =
                "{\"id\":2,\"owner_id\":\"alice\",\"grp\":2,\"pub\":false,\"score\":1,\"title\":\"t\",\"ver\":1,\"tx\":2}";
        q.onFrame(snapshot(alicesRowInAnotherGroup), false);
        assertThat(only()).as("after the reset only the new rule counts").contains("LEAK");
    }

    @Test
    void aWindowOverItsLimitIsCaught() throws Exception {
        QueryView q = view(new QueryShape(null, null, List.of(Map.entry("id", false)), 1), ALICE, true);
        q.onFrame(snapshot(row(1, "alice", 1, 1)), false);
        q.onFrame(changes(added(row(2, "alice", 1, 2))), false);
        assertThat(only()).contains("window holds 2 rows, limit 1");
    }

    @Test
    void aTransactionInTheSnapshotMustNotArriveAgain() throws Exception {
        QueryView q = view();
        q.onFrame(snapshot(row(1, "alice", 1, 5)), false);
        q.onFrame(changes(added(row(2, "alice", 1, 5))), false);
        assertThat(only()).contains("transaction 5 is in the snapshot");
    }

    @Test
    void aTransactionSplitAcrossFramesFailsOnlyWhenAskedTo() throws Exception {
        QueryView strict = view();
        strict.onFrame(snapshot(), false);
        strict.onFrame(changes(added(row(1, "alice", 1, 5))), false);
        strict.onFrame(changes(added(row(2, "alice", 1, 5))), false);
        assertThat(only()).contains("transaction 5 came in more than one frame");

        violations = new Violations();
        QueryView lenient = view(new QueryShape(null, null, List.of(), null), ALICE, false);
        lenient.onFrame(snapshot(), false);
        lenient.onFrame(changes(added(row(1, "alice", 1, 5))), false);
        lenient.onFrame(changes(added(row(2, "alice", 1, 5))), false);
        assertThat(violations.any()).isFalse();
        assertThat(violations.tolerated()).singleElement().asString().startsWith("1 transactions split across frames");
    }

    @Test
    void aQueryOnAHiddenColumnMustBeRefusedAndOneOnVisibleColumnsServed() throws Exception {
        RandomFilter.Node bySecret =
                new RandomFilter.Column("secret", List.of("eq"), java.util.Arrays.asList((Object) "s1"));
        QueryShape filtersBySecret = new QueryShape(bySecret, null, List.of(), null);
        JsonNode forbidden =
                JSON.readTree("{\"type\":\"error\",\"id\":\"q1\",\"code\":\"forbidden\",\"message\":\"hidden\"}");

        QueryView refused = view(filtersBySecret, ALICE, true);
        refused.onFrame(forbidden, false);
        assertThat(violations.kept())
                .as("the owner rule hides secret from alice")
                .isEmpty();
        assertThat(refused.state()).isEqualTo(QueryView.State.REFUSED);

        view(filtersBySecret, ALICE, true).onFrame(snapshot(), false);
        assertThat(only()).contains("served a query the rules refuse");

        violations = new Violations();
        view(filtersBySecret, new Persona("root", "admin", 3), true).onFrame(forbidden, false);
        assertThat(only()).as("the mask shows secret to every admin").contains("forbidden, though every version");
    }

    @Test
    void anAnonymousSubscriberIsRefusedWhereTheRuleNeedsASignedInOne() throws Exception {
        JsonNode forbidden =
                JSON.readTree("{\"type\":\"error\",\"id\":\"q1\",\"code\":\"forbidden\",\"message\":\"no\"}");
        view(new QueryShape(null, null, List.of(), null), new Persona(null, null, null), true)
                .onFrame(forbidden, false);
        assertThat(violations.kept()).isEmpty();
    }

    @Test
    void errorsFailUnlessAFaultIsUnderway() throws Exception {
        JsonNode error =
                JSON.readTree("{\"type\":\"error\",\"id\":\"q1\",\"code\":\"internal\",\"message\":\"no router\"}");
        QueryView q = view();
        q.onFrame(error, true);
        assertThat(violations.any()).isFalse();
        assertThat(q.state()).isEqualTo(QueryView.State.LOST);
        q.subscribed("q2", false);
        q.onFrame(error, false);
        assertThat(only()).contains("error frame");
    }

    @Test
    void aResumedQueryKeepsItsRowsAndGoesOnWhereItLeft() throws Exception {
        QueryView q = view();
        q.onFrame(snapshot(row(1, "alice", 1, 1)), false);
        resume(q);
        q.onFrame(resumed(), false);
        q.onFrame(changes(changed(row(1, "alice", 2, 2)), added(row(2, "alice", 1, 3))), false);
        assertThat(violations.kept()).isEmpty();
        assertThat(q.rows()).containsOnlyKeys(1L, 2L);
    }

    @Test
    void aChangeTheClientAppliedBeforeItLeftMustNotArriveAgainAfterTheResume() throws Exception {
        // lenient on split transactions: the repeat is one too
        QueryView q = view(new QueryShape(null, null, List.of(), null), ALICE, false);
        q.onFrame(snapshot(row(1, "alice", 1, 1)), false);
        q.onFrame(changes(changed(row(1, "alice", 2, 2))), false);
        resume(q);
        q.onFrame(resumed(), false);
        q.onFrame(changes(changed(row(1, "alice", 2, 2))), false);
        assertThat(only()).contains("version 2 arrived again");
    }

    @Test
    void aSnapshotOrAnUnjustifiedResetWhereAResumeWasPossibleIsCaught() throws Exception {
        QueryView snapshotInstead = view();
        snapshotInstead.onFrame(snapshot(row(1, "alice", 1, 1)), false);
        resume(snapshotInstead);
        snapshotInstead.onFrame(snapshot(row(1, "alice", 1, 1)), false);
        assertThat(only()).contains("snapshot where a resume was possible");

        violations = new Violations();
        QueryView resetInstead = view();
        resetInstead.onFrame(snapshot(), false);
        resume(resetInstead);
        resetInstead.onFrame(reset("the position belongs to another subscriber"), false);
        assertThat(only()).contains("a snapshot where a resume was possible");
    }

    @Test
    void aResetAnsweringAResumeIsFineWhenTheRulesChangedOrTheQueryHasAWindow() throws Exception {
        QueryView q = view();
        q.onFrame(snapshot(), false);
        rules.add(RuleVariant.ALL.get(0), RuleVariant.ALL.get(0).yaml(TABLE, true));
        resume(q);
        q.onFrame(reset("the rules of the table changed since the position"), false);
        q.onFrame(snapshot(), false);

        QueryView window = view(new QueryShape(null, null, List.of(Map.entry("id", false)), 3), ALICE, true);
        window.onFrame(snapshot(), false);
        resume(window);
        window.onFrame(reset("a query with limit is not resumed; its window is read again"), false);
        window.onFrame(snapshot(), false);
        assertThat(violations.kept()).isEmpty();
    }

    @Test
    void aVersionOfAHeldRowThatNeverArrivedIsAGapUnlessItsTransactionOverwroteIt() throws Exception {
        versions.committed(1, 1, 1);
        versions.committed(1, 2, 2);
        versions.committed(1, 3, 3);
        versions.committed(1, 4, 3);
        QueryView q = view();
        q.onFrame(snapshot(row(1, "alice", 2, 2)), false);
        q.onFrame(changes(changed(row(1, "alice", 4, 3))), false);
        assertThat(violations.kept())
                .as("version 3 was overwritten by its own transaction")
                .isEmpty();

        QueryView gap = view();
        gap.onFrame(snapshot(row(1, "alice", 1, 1)), false);
        gap.onFrame(changes(changed(row(1, "alice", 4, 3))), false);
        assertThat(only()).contains("GAP").contains("version 2 (transaction 2) never arrived");
    }
}
