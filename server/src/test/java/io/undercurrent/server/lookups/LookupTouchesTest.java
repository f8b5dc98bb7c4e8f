package io.undercurrent.server.lookups;

import static org.assertj.core.api.Assertions.assertThat;

import io.undercurrent.rules.LookupBinding;
import io.undercurrent.rules.TableRef;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Whom a looked-up row's change concerns, and since when: the router's "never newer" and the edge's marks. */
class LookupTouchesTest {

    private static final TableRef MEMBERSHIPS = new TableRef("app", "public.memberships");
    /** exists(member, row.group_id, auth.sub) */
    private static final List<LookupBinding> BY_SUB = List.of(new LookupBinding(MEMBERSHIPS, Map.of("user_id", "sub")));
    /** a lookup keyed by row columns only: concerns everyone */
    private static final List<LookupBinding> BY_ROW = List.of(new LookupBinding(MEMBERSHIPS, Map.of()));

    private final LookupTouches touches = new LookupTouches();

    LookupTouchesTest() {
        touches.bind(Map.of(MEMBERSHIPS, Set.of("user_id")));
        touches.loading(MEMBERSHIPS);
        touches.loaded(MEMBERSHIPS);
        touches.floor(MEMBERSHIPS, "pg:0000000000000010:0000000000000010");
    }

    private void change(String order, String before, String after) {
        Map<String, ?> old = before == null ? null : Map.of("group_id", 1L, "user_id", before);
        Map<String, ?> now = after == null ? null : Map.of("group_id", 1L, "user_id", after);
        touches.touching(MEMBERSHIPS, order, old, now);
        touches.touched(MEMBERSHIPS, old, now);
    }

    @Test
    void aChangeIsNewerThanAMessageOnlyForTheSubscriberItConcerns() {
        change("pg:0000000000000020:0000000000000020", null, "bob"); // bob joins after the message at 18
        String message = "pg:0000000000000018:0000000000000018";

        assertThat(touches.changedAfter(BY_SUB, Map.of("sub", "bob"), message)).isTrue();
        assertThat(touches.changedAfter(BY_SUB, Map.of("sub", "alice"), message))
                .isFalse();
        assertThat(touches.changedAfter(BY_SUB, Map.of(), message))
                .as("no claim: the lookup is unknown, whatever the rows")
                .isFalse();
        assertThat(touches.changedAfter(BY_ROW, Map.of("sub", "alice"), message))
                .isTrue();
        assertThat(touches.changedAfter(BY_SUB, Map.of("sub", "bob"), "pg:0000000000000021:0000000000000021"))
                .as("a message after the join is judged with it")
                .isFalse();
    }

    @Test
    void theOldImageCountsSoALeavingMemberIsConcernedToo() {
        change("pg:0000000000000020:0000000000000020", "bob", null);
        assertThat(touches.changedAfter(BY_SUB, Map.of("sub", "bob"), "pg:0000000000000019:0000000000000001"))
                .isTrue();
    }

    @Test
    void changesBeforeTheFirstChangeAfterALoadAreNeverJudgedExactly() {
        assertThat(touches.changedAfter(BY_SUB, Map.of("sub", "alice"), "pg:0000000000000009:0000000000000009"))
                .isTrue();
        touches.loading(MEMBERSHIPS);
        assertThat(touches.changedAfter(BY_SUB, Map.of("sub", "alice"), "pg:00000000000000ff:0000000000000000"))
                .as("while loading, nothing")
                .isTrue();
    }

    @Test
    void aMarkSeesOnlyTheChangesThatConcernTheSubscriberAndAnyLoad() {
        long mark = touches.mark();
        change("pg:0000000000000020:0000000000000020", null, "bob");
        assertThat(touches.changedSince(BY_SUB, Map.of("sub", "bob"), mark)).isTrue();
        assertThat(touches.changedSince(BY_SUB, Map.of("sub", "alice"), mark)).isFalse();
        assertThat(touches.changedSince(BY_ROW, Map.of("sub", "alice"), mark)).isTrue();

        long later = touches.mark();
        assertThat(touches.changedSince(BY_SUB, Map.of("sub", "bob"), later)).isFalse();
        touches.loaded(MEMBERSHIPS);
        assertThat(touches.changedSince(BY_SUB, Map.of("sub", "alice"), later))
                .as("a reload may change every row")
                .isTrue();
    }
}
