package io.undercurrent.edge.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.undercurrent.bus.Delta;
import io.undercurrent.bus.DeltaOp;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The rows a client holds, translated deltas, and what subscriptions receiving one delta share. */
class HeldKeysTest {

    private static final List<String> KEY = List.of("id");

    /** The dispatcher's: what subscriptions translating on its thread share. */
    private final RecentDeltas recent = new RecentDeltas();

    private static Delta delta(DeltaOp op, long id, List<String> unchanged) {
        return new Delta(op, Map.of("id", id), op == DeltaOp.REMOVED ? null : Map.of("id", id, "t", "x"), unchanged);
    }

    private static Delta delta(DeltaOp op, long id) {
        return delta(op, id, null);
    }

    @Test
    void translatesAgainstTheRowsHeldAndReleasesRemovedOnes() {
        HeldKeys held = new HeldKeys(KEY);
        held.reset(List.of(Map.of("id", 1, "t", "jdbc int"))); // an Integer key, as JDBC may give

        assertThat(held.translate(delta(DeltaOp.CHANGED, 1), recent).get("op"))
                .as("held: a Long key from JSON matches the Integer one")
                .isEqualTo("changed");
        assertThat(held.translate(delta(DeltaOp.CHANGED, 2), recent).get("op"))
                .as("not held: sent as an addition")
                .isEqualTo("added");
        assertThat(held.translate(delta(DeltaOp.ADDED, 2), recent).get("op")).isEqualTo("changed");
        assertThat(held.size()).isEqualTo(2);

        assertThat(held.translate(delta(DeltaOp.REMOVED, 1), recent)).containsEntry("op", "removed");
        assertThat(held.size()).as("released").isEqualTo(1);
        assertThat(held.translate(delta(DeltaOp.REMOVED, 1), recent))
                .as("never sent twice")
                .isNull();
        assertThat(held.translate(delta(DeltaOp.REMOVED, 9), recent))
                .as("a row never held")
                .isNull();
    }

    @Test
    void subscriptionsTranslatingOneDeltaShareItsChangeMaps() {
        HeldKeys first = new HeldKeys(KEY);
        HeldKeys second = new HeldKeys(List.of("id")); // an equal list, not the same one
        HeldKeys holding = new HeldKeys(KEY);
        holding.reset(List.of(Map.of("id", 5L, "t", "old")));
        Delta d = delta(DeltaOp.CHANGED, 5, List.of("t"));

        Map<String, Object> a = first.translate(d, recent);
        Map<String, Object> b = second.translate(d, recent);
        Map<String, Object> c = holding.translate(d, recent);

        assertThat(b).isSameAs(a);
        assertThat(a).containsEntry("op", "added").doesNotContainKey("unchanged");
        assertThat(c).containsEntry("op", "changed").containsEntry("unchanged", List.of("t"));
        assertThat(holding.translate(d, recent)).isSameAs(c);
        assertThatThrownBy(() -> a.put("op", "x"))
                .as("shared between frames: not to be changed")
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void subscriptionsOfAnotherDispatcherShareItsPiecesNotThese() {
        // two edges in one process: each dispatcher translates with pieces of its own, on its own thread
        RecentDeltas other = new RecentDeltas();
        Delta d = delta(DeltaOp.CHANGED, 5);

        Map<String, Object> a = new HeldKeys(KEY).translate(d, recent);
        Map<String, Object> b = new HeldKeys(KEY).translate(d, other);

        assertThat(b).isNotSameAs(a).isEqualTo(a);
        assertThat(new HeldKeys(KEY).translate(d, recent)).isSameAs(a);
        assertThat(new HeldKeys(KEY).translate(d, other)).isSameAs(b);
    }

    @Test
    void deltasTranslatedWithNoneShareNothingNorTakeTheDispatchersPieces() {
        // what a subscription buffered is applied on a worker thread, where the dispatcher's pieces,
        // made lazily on the delivery thread, must not be used
        Delta d = delta(DeltaOp.CHANGED, 5);
        Map<String, Object> dispatched = new HeldKeys(KEY).translate(d, recent);

        Map<String, Object> a = new HeldKeys(KEY).translate(d, RecentDeltas.none());
        Map<String, Object> b = new HeldKeys(KEY).translate(d, RecentDeltas.none());

        assertThat(a).isNotSameAs(dispatched).isEqualTo(dispatched);
        assertThat(b).isNotSameAs(a).isEqualTo(a);
    }

    @Test
    void anEqualDeltaThatIsAnotherObjectIsTranslatedOnItsOwn() {
        HeldKeys held = new HeldKeys(KEY);
        Map<String, Object> a = held.translate(delta(DeltaOp.ADDED, 1), recent);
        Map<String, Object> b = held.translate(delta(DeltaOp.ADDED, 1), recent);
        assertThat(b).isNotSameAs(a).containsEntry("op", "changed");
    }

    @Test
    void aBlindSubscriptionTrustsJudgedDeltasAndCannotTellGuessedOnes() {
        HeldKeys held = new HeldKeys(KEY);
        held.blind();

        assertThat(held.translate(new Delta(DeltaOp.CHANGED, Map.of("id", 1L), Map.of("id", 1L), null, true), recent))
                .isSameAs(HeldKeys.CANNOT_TELL);
        assertThat(held.translate(delta(DeltaOp.CHANGED, 1), recent).get("op"))
                .as("judged with the old image: the client held it")
                .isEqualTo("changed");
        assertThat(held.translate(delta(DeltaOp.REMOVED, 2), recent).get("op")).isEqualTo("removed");
        assertThat(held.translate(new Delta(DeltaOp.REMOVED, Map.of("id", 2L), null, null, true), recent))
                .as("known not held since")
                .isNull();
        assertThat(held.size()).isEqualTo(1);
    }

    @Test
    void replacingTheRowsSendsTheDifferenceAndKeysCompareByValue() {
        HeldKeys held = new HeldKeys(List.of("a", "b"));
        held.reset(List.of(row(1, "1.0", "x"), row(2, "2", "y")));

        List<Map<String, Object>> changes = held.replaceWith(List.of(row(2, "2.00", "y"), row(3, "3", "z")));

        assertThat(changes)
                .as("row 2's key is the same by value (2 and 2.00): changed, not removed and added")
                .extracting(c -> c.get("op"))
                .containsExactly("removed", "changed", "added");
        assertThat(held.size()).isEqualTo(2);
        assertThat(held.translate(
                        new Delta(DeltaOp.REMOVED, Map.of("a", 2L, "b", new BigDecimal("2.0")), null, null), recent))
                .as("2 and 2.0 are one key")
                .containsEntry("op", "removed");
    }

    private static Map<String, Object> row(int a, String b, String v) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("a", a);
        row.put("b", new BigDecimal(b));
        row.put("v", v);
        return row;
    }
}
