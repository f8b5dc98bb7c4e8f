package io.undercurrent.rules.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.undercurrent.rules.RuleProblem;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Lookups are validated at load like the rest of a rule: every problem at its file:line:col. */
class LookupValidationTest {

    @TempDir
    Path dir;

    private List<String> problems(String yaml) {
        TestRules.write(dir, "messages.yaml", yaml);
        return TestRules.load(dir).problems().stream()
                .map(RuleProblem::toString)
                .toList();
    }

    private String at(int line, int column) {
        return dir.resolve("messages.yaml") + ":" + line + ":" + column + ": ";
    }

    private static final String LOOKUPS = """
            table: public.messages
            lookups:
              member:
                table: public.memberships
                key: [group_id, user_id]
            """;

    @Test
    void aValidLookupLoads() {
        assertThat(problems(LOOKUPS + "read: \"exists(member, row.group_id, auth.sub)\"\n"))
                .isEmpty();
        assertThat(problems(LOOKUPS + "read: \"member.exists(row.group_id, str(auth.uid))\"\n"))
                .isEmpty();
        assertThat(problems(LOOKUPS + "read: \"lookup(member, 1, auth.sub).role in ['owner', 'admin']\"\n"))
                .isEmpty();
    }

    @Test
    void wrongArityNamesTheKeyColumns() {
        assertThat(problems(LOOKUPS + "read: \"exists(member, row.group_id)\"\n"))
                .containsExactly(at(6, 8) + "lookup 'member' is keyed by 2 columns (group_id, user_id), so"
                        + " exists(member, ...) takes 2 key values after the name, not 1");
        assertThat(problems(LOOKUPS + "read: \"lookup(member, 1, 'a', 2).role == 'x'\"\n"))
                .containsExactly(at(6, 8) + "lookup 'member' is keyed by 2 columns (group_id, user_id), so"
                        + " lookup(member, ...) takes 2 key values after the name, not 3");
    }

    @Test
    void unknownLookupNamesSuggestTheClosest() {
        assertThat(problems(LOOKUPS + "read: \"exists(membr, row.group_id, auth.sub)\"\n"))
                .containsExactly(
                        at(6, 15) + "unknown lookup 'membr'; did you mean 'member'? (this rule's lookups: member)");
        assertThat(problems("table: public.messages\nread: \"exists(member, row.group_id)\"\n"))
                .singleElement()
                .asString()
                .startsWith(at(2, 15)
                        + "unknown lookup 'member': this rule declares no lookups; declare it under lookups:");
    }

    @Test
    void theFirstArgumentMustNameALookup() {
        assertThat(problems(LOOKUPS + "read: \"exists(row.group_id, auth.sub)\"\n"))
                .containsExactly(at(6, 15) + "exists(...) first names one of the rule's lookups, then gives its key"
                        + " values, e.g. exists(member, row.group_id, auth.sub)");
        assertThat(problems(LOOKUPS + "read: \"member.role == 'owner'\"\n"))
                .containsExactly(at(6, 8) + "'member' is a lookup, not a value; use it through exists(member, ...)"
                        + " or lookup(member, ...)");
    }

    @Test
    void keyKindsMustAgreeAcrossTheRule() {
        assertThat(problems(LOOKUPS + """
                read: "exists(member, row.group_id, 'alice')"
                fields:
                  note: "exists(member, row.group_id, 42)"
                """))
                .containsExactly(at(8, 39) + "key column user_id of lookup 'member' is given a number here and a text"
                        + " elsewhere in this rule; a column holds one kind of value and text never equals a number,"
                        + " so convert one with str(...) or num(...)");
        assertThat(problems(LOOKUPS + "read: \"exists(member, num(auth.group), str(auth.uid))\"\n"))
                .isEmpty();
    }

    @Test
    void lookupIsARowAndExistsIsACondition() {
        assertThat(problems(LOOKUPS + "read: \"lookup(member, row.group_id, auth.sub)\"\n"))
                .singleElement()
                .asString()
                .startsWith(at(6, 8) + "lookup(...) is a row (or null), not a condition");
        assertThat(problems(LOOKUPS + "read: \"exists(member, row.group_id, auth.sub) == true\"\n"))
                .singleElement()
                .asString()
                .contains("exists(...) is a condition and cannot be used as a value here");
    }

    @Test
    void declarationsAreCheckedEachAtItsPlace() {
        assertThat(problems("""
                table: public.messages
                lookups:
                  row:
                    table: public.a
                    key: [id]
                  member:
                    table: memberships
                    key: []
                  size:
                    table: public.b
                    key: [id, id]
                  owner:
                    tabel: public.c
                  member:
                    table: public.d
                    key: [a, b, c, d, e]
                read: "true"
                """))
                .containsExactly(
                        at(3, 3) + "lookup name 'row' is a variable of every rule; choose another, e.g. member",
                        at(7, 12) + "table 'memberships' must be qualified: schema.table for Postgres (public.todos),"
                                + " database.table for MySQL, database.collection for MongoDB",
                        at(8, 10) + "'key' names 1 to 4 columns, e.g. key: [group_id, user_id]",
                        at(9, 3) + "lookup name 'size' is a helper; choose another, e.g. member",
                        at(11, 15) + "column 'id' is already part of this key",
                        at(13, 5)
                                + "unknown key 'tabel'; did you mean 'table'? (the keys are table, key, source, description)",
                        at(13, 5) + "missing 'table': name the table this lookup reads, e.g. table: public.memberships",
                        at(13, 5) + "missing 'key': the columns it is looked up by, e.g. key: [group_id, user_id]",
                        at(14, 3)
                                + "a lookup named 'member' is already declared in this rule; give each lookup its own name",
                        at(16, 10) + "'key' names 1 to 4 columns, e.g. key: [group_id, user_id]");
    }

    @Test
    void aBrokenDeclarationIsReportedOnceNotAgainWhereItIsUsed() {
        assertThat(problems("""
                table: public.messages
                lookups:
                  member: {table: memberships, key: [group_id, user_id]}
                read: "exists(member, row.group_id, auth.sub)"
                """))
                .singleElement()
                .asString()
                .startsWith(at(3, 19) + "table 'memberships' must be qualified");
    }
}
