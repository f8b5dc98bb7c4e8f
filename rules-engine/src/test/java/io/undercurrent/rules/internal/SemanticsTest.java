package io.undercurrent.rules.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.undercurrent.rules.Access;
import io.undercurrent.rules.TableRef;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What rules mean: three-valued logic that fails closed, exact numbers, the helpers. */
class SemanticsTest {

    private static final TableRef TODOS = new TableRef("app", "public.todos");

    @TempDir
    Path dir;

    private boolean allows(String read, Map<String, ?> auth, Map<String, ?> row) {
        return TestRules.read(dir, read)
                .access(TODOS, auth, row, 1_714_564_800_000L)
                .allowed();
    }

    private static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    @Test
    void aMissingClaimIsUnknownAndUnknownNeverGrantsEvenNegated() {
        Map<String, Object> noRole = map("sub", "bob");
        assertThat(allows("auth.role == 'admin'", noRole, map())).isFalse();
        assertThat(allows("auth.role != 'admin'", noRole, map())).isFalse();
        assertThat(allows("!(auth.role == 'admin')", noRole, map())).isFalse();
        assertThat(allows("!(auth.role == 'admin' || auth.role == 'owner')", noRole, map()))
                .isFalse();
        assertThat(allows("!(auth.role == 'admin')", map("role", "user"), map()))
                .isTrue();
        assertThat(allows("!!(auth.sub == 'bob')", noRole, map())).isTrue();
    }

    @Test
    void anonymousSeesNoClaimsAndCanBeTestedFor() {
        assertThat(allows("auth == null", null, map())).isTrue();
        assertThat(allows("auth != null", null, map())).isFalse();
        assertThat(allows("auth.sub == null", null, map())).isTrue();
        assertThat(allows("row.owner_id == auth.sub", null, map("owner_id", null)))
                .isFalse();
        assertThat(allows("!(row.owner_id == auth.sub)", null, map("owner_id", "alice")))
                .isFalse();
        assertThat(allows("auth != null", map(), map())).isTrue();
    }

    @Test
    void missingAndNullColumnsAreNull() {
        assertThat(allows("row.deleted_at == null", map("sub", "a"), map())).isTrue();
        assertThat(allows("row.deleted_at == null", map("sub", "a"), map("deleted_at", null)))
                .isTrue();
        assertThat(allows("row.deleted_at != null", map("sub", "a"), map("deleted_at", "2024-01-01")))
                .isTrue();
        assertThat(allows("row.owner_id == auth.sub", map(), map()))
                .as("null == null is not true")
                .isFalse();
    }

    @Test
    void numbersCompareExactlyWhateverTheirClass() {
        assertThat(allows("row.id == 2", null, map("id", new BigDecimal("2.00"))))
                .isTrue();
        assertThat(allows(
                        "row.id == auth.n",
                        map("n", 9_007_199_254_740_993L),
                        map("id", new BigDecimal("9007199254740992"))))
                .as("beyond double precision")
                .isFalse();
        assertThat(allows(
                        "row.id != auth.n",
                        map("n", 9_007_199_254_740_993L),
                        map("id", new BigDecimal("9007199254740992"))))
                .isTrue();
        assertThat(allows(
                        "row.id == auth.n",
                        map("n", new BigInteger("123456789012345678901234567890")),
                        map("id", new BigDecimal("123456789012345678901234567890"))))
                .isTrue();
        assertThat(allows("row.price == 0.1", null, map("price", 0.1d))).isTrue();
        assertThat(allows("row.a + row.b == 0.3", null, map("a", new BigDecimal("0.1"), "b", new BigDecimal("0.2"))))
                .isTrue();
        assertThat(allows("row.n + 1 > 9223372036854775807", null, map("n", Long.MAX_VALUE)))
                .as("no overflow")
                .isTrue();
        assertThat(allows("row.n / 2 == 3.5", null, map("n", 7L))).isTrue();
        assertThat(allows("row.n % 3 == 1 && -row.n == -7", null, map("n", 7L))).isTrue();
        assertThat(allows("row.n > -1.5 && row.n <= 7", null, map("n", 7L))).isTrue();
    }

    @Test
    void textAndNumbersNeverMatchUnlessConverted() {
        Map<String, Object> claims = map("sub", "42");
        Map<String, Object> row = map("owner_id", 42L);
        assertThat(allows("row.owner_id == auth.sub", claims, row)).isFalse();
        assertThat(allows("row.owner_id != auth.sub", claims, row))
                .as("unknown, not different")
                .isFalse();
        assertThat(allows("str(row.owner_id) == auth.sub", claims, row)).isTrue();
        assertThat(allows("row.owner_id == num(auth.sub)", claims, row)).isTrue();
        assertThat(allows("row.owner_id == num(auth.sub)", map("sub", "42abc"), row))
                .isFalse();
        assertThat(allows("row.flag == 'true'", null, map("flag", true))).isFalse();
    }

    @Test
    void booleanColumnsAsConditions() {
        assertThat(allows("row.done", null, map("done", true))).isTrue();
        assertThat(allows("!row.done", null, map("done", false))).isTrue();
        assertThat(allows("row.done", null, map("done", "true"))).isFalse();
        assertThat(allows("!row.done", null, map("done", null))).isFalse();
        assertThat(allows("!row.done", null, map("done", "no"))).isFalse();
    }

    @Test
    void inAndContains() {
        assertThat(allows("auth.role in ['admin', 'editor']", map("role", "editor"), map()))
                .isTrue();
        assertThat(allows("auth.role in ['admin', 'editor']", map(), map())).isFalse();
        assertThat(allows("!(auth.role in ['admin', 'editor'])", map(), map())).isFalse();
        assertThat(allows("!(auth.role in ['admin', 'editor'])", map("role", "user"), map()))
                .isTrue();
        Map<String, Object> groups = map("groups", List.of("staff", "ops"));
        assertThat(allows("auth.groups contains 'ops'", groups, map())).isTrue();
        assertThat(allows("'ops' in auth.groups", groups, map())).isTrue();
        assertThat(allows("contains(auth.groups, row.team)", groups, map("team", "staff")))
                .isTrue();
        assertThat(allows("!(auth.groups contains 'dev')", groups, map())).isTrue();
        assertThat(allows("!(auth.groups contains 'dev')", map(), map()))
                .as("no groups claim")
                .isFalse();
        assertThat(allows(
                        "row.tenant in auth.tenants",
                        map("tenants", List.of(1L, 2L)),
                        map("tenant", new BigDecimal("2"))))
                .isTrue();
        assertThat(allows("!(row.tenant in auth.tenants)", map("tenants", List.of(1L, "x")), map("tenant", 2L)))
                .as("a list element of another kind makes NOT IN unknown")
                .isFalse();
        assertThat(allows("row.meta contains 'tier'", null, map("meta", Map.of("tier", "gold"))))
                .isTrue();
        assertThat(allows("row.title contains 'milk'", null, map("title", "buy milk")))
                .isTrue();
    }

    @Test
    void textHelpers() {
        Map<String, Object> claims = map("email", "Alice@Example.COM");
        assertThat(allows("endsWith(lower(auth.email), '@example.com')", claims, map()))
                .isTrue();
        assertThat(allows("auth.email.endsWith('@Example.COM')", claims, map())).isTrue();
        assertThat(allows("!auth.email.startsWith('bob')", claims, map())).isTrue();
        assertThat(allows("!startsWith(auth.missing, 'bob')", claims, map())).isFalse();
        assertThat(allows("upper(auth.email) == 'ALICE@EXAMPLE.COM'", claims, map()))
                .isTrue();
        assertThat(allows("size(auth.email) == 17 && auth.email.size() == 17", claims, map()))
                .isTrue();
        assertThat(allows("size(auth.groups) > 0", map("groups", List.of()), map()))
                .isFalse();
        assertThat(allows("'id-' + str(row.id) == 'id-7'", null, map("id", 7L))).isTrue();
    }

    @Test
    void timeWithNowAndMillis() {
        long now = 1_714_564_800_000L; // 2024-05-01T12:00:00Z
        assertThat(allows(
                        "millis(row.created_at) > now - 86400000",
                        null,
                        map("created_at", "2024-05-01T00:00:00.000000Z")))
                .isTrue();
        assertThat(allows(
                        "millis(row.created_at) > now - 86400000",
                        null,
                        map("created_at", "2024-04-29T00:00:00.000000Z")))
                .isFalse();
        assertThat(allows("millis(row.day) == " + (now - 12 * 3_600_000L), null, map("day", "2024-05-01")))
                .isTrue();
        assertThat(allows("millis(row.at) == " + now, null, map("at", "2024-05-01T14:00:00+02:00")))
                .isTrue();
        assertThat(allows("row.created_at < '2024-05-02'", null, map("created_at", "2024-05-01T23:59:59.000000Z")))
                .as("canonical UTC timestamps order as text")
                .isTrue();
        assertThat(allows("millis(row.created_at) > 0", null, map("created_at", "yesterday")))
                .isFalse();
        assertThat(allows("auth.exp * 1000 > now", map("exp", now / 1000 + 60), map()))
                .isTrue();
    }

    @Test
    void nestedJsonKeysAndIndexes() {
        Map<String, Object> claims = new HashMap<>();
        claims.put("https://example.com/roles", List.of("admin"));
        claims.put("projects", Map.of("p1", "editor"));
        claims.put("roles", List.of("viewer", "admin"));
        Map<String, Object> row = map("project_id", "p1", "meta", Map.of("tier", "gold", "tags", List.of("a", "b")));
        assertThat(allows("auth['https://example.com/roles'] contains 'admin'", claims, row))
                .isTrue();
        assertThat(allows("auth.projects[row.project_id] == 'editor'", claims, row))
                .isTrue();
        assertThat(allows("auth.roles[1] == 'admin' && auth.roles[2] == null", claims, row))
                .isTrue();
        assertThat(allows("row.meta.tier == 'gold' && row.meta.tags[0] == 'a'", claims, row))
                .isTrue();
        assertThat(allows("row.meta.tier.deeper == null && row.title.x == null", claims, row))
                .isTrue();
        assertThat(allows("row['meta']['tier'] == 'gold'", claims, row)).isTrue();
        assertThat(allows(
                        "auth.projects[row.id] == 'owner'", Map.of("projects", Map.of("42", "owner")), map("id", 42L)))
                .as("a number looks up a JSON key by its text")
                .isTrue();
    }

    @Test
    void masksHideUnlessDefinitelyTrueAndProjectCopies() {
        TestRules.write(dir, "todos.yaml", """
        table: public.todos
        read: "true"
        fields:
          internal_note: "auth.role == 'admin'"
          owner_id: "auth != null"
        """);
        LoadedRules rules = TestRules.load(dir).rules();
        Map<String, Object> row = map("id", 1L, "owner_id", "alice", "internal_note", "x", "title", "t");
        Access anonymous = rules.access(TODOS, null, row, 0);
        assertThat(anonymous.allowed()).isTrue();
        assertThat(anonymous.fieldVisible("internal_note")).isFalse();
        assertThat(anonymous.fieldVisible("owner_id")).isFalse();
        assertThat(anonymous.fieldVisible("title")).isTrue();
        assertThat(anonymous.fieldVisible("not_a_column")).isTrue();
        assertThat(anonymous.project(row)).containsExactly(Map.entry("id", 1L), Map.entry("title", "t"));
        assertThat(rules.access(TODOS, map("role", "admin"), row, 0).project(row))
                .isEqualTo(row)
                .isNotSameAs(row);
        assertThat(rules.access(TODOS, map("role", "admin"), row, 0).toString()).isEqualTo("allowed");
        assertThat(anonymous.toString()).isEqualTo("allowed hiding internal_note, owner_id");
    }

    @Test
    void aDeniedRowHasNoVisibleFieldsAndCannotBeProjected() {
        LoadedRules rules = TestRules.read(dir, "false");
        Access denied = rules.access(TODOS, null, map("id", 1L), 0);
        assertThat(denied.allowed()).isFalse();
        assertThat(denied.fieldVisible("id")).isFalse();
        assertThatThrownBy(() -> denied.project(map("id", 1L)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("check allowed()");
    }

    @Test
    void defaultDenyAndNullRows() {
        LoadedRules rules = TestRules.read(dir, "true");
        assertThat(rules.access(new TableRef("app", "public.other"), null, map(), 0)
                        .allowed())
                .isFalse();
        assertThat(rules.access(new TableRef("billing", "public.todos"), null, map(), 0)
                        .allowed())
                .isFalse();
        assertThat(rules.access(TODOS, null, null, 0).allowed()).isFalse();
        assertThat(rules.hasRule(TODOS)).isTrue();
        assertThat(rules.tables()).containsExactly(TODOS);
    }

    @Test
    void aRunTimeErrorDeniesIsCountedAndDoesNotThrow() {
        LoadedRules rules = TestRules.read(dir, "row.total / row.count > 1 || auth.role == 'admin'");
        assertThat(rules.access(TODOS, map("role", "admin"), map("total", 10L, "count", 0L), 0)
                        .allowed())
                .isFalse();
        assertThat(rules.access(TODOS, null, map("total", 10L, "count", 0L), 0).allowed())
                .isFalse();
        assertThat(rules.access(TODOS, null, map("total", 10L, "count", 2L), 0).allowed())
                .isTrue();
        assertThat(rules.runtimeErrors()).containsExactly(Map.entry(TODOS, 2L));
    }

    @Test
    void aRowMapThatEvaluatesRulesWhileBeingReadStillGetsRightAnswers() {
        LoadedRules rules = TestRules.read(dir, "row.owner_id == auth.sub");
        Map<String, Object> inner = map("owner_id", "bob");
        Map<String, Object> reentrant = new HashMap<>(map("owner_id", "alice")) {
            @Override
            public Object get(Object key) {
                assertThat(rules.access(TODOS, map("sub", "bob"), inner, 0).allowed())
                        .isTrue();
                return super.get(key);
            }
        };
        assertThat(rules.access(TODOS, map("sub", "alice"), reentrant, 0).allowed())
                .isTrue();
        assertThat(rules.access(TODOS, map("sub", "bob"), reentrant, 0).allowed())
                .isFalse();
    }
}
