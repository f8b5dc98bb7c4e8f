package io.undercurrent.router.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.undercurrent.bus.Delivery;
import io.undercurrent.bus.Delta;
import io.undercurrent.bus.DeltaOp;
import io.undercurrent.bus.SubscriptionId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EdgeTargetsTest {

    @Test
    void equalDeltasAreCarriedOnceAndTheOthersPointAtTheirCarrier() {
        Delta whole = delta(Map.of("id", 1L, "title", "a", "secret", "s"));
        Delta masked = delta(Map.of("id", 1L, "title", "a"));
        EdgeTargets targets = new EdgeTargets();
        targets.add(id("q1"), 1, "v1", whole);
        targets.add(id("q2"), 2, "v1", delta(Map.of("id", 1L, "title", "a", "secret", "s"))); // equal, not same
        targets.add(id("q3"), 3, "v1", masked); // another mask: another row
        targets.add(id("q4"), 4, "v1", whole);
        targets.add(id("q5"), 5, "v1", delta(Map.of("id", 1L, "title", "a")));

        List<Delivery.Target> list = targets.targets();

        assertThat(list)
                .extracting(Delivery.Target::id)
                .containsExactly(id("q1"), id("q2"), id("q3"), id("q4"), id("q5"));
        assertThat(list).extracting(Delivery.Target::generation).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(list).extracting(Delivery.Target::sharesWith).containsExactly(null, 0, null, 0, 2);
        assertThat(list.get(0).deltas()).containsExactly(whole);
        assertThat(list.get(2).deltas()).containsExactly(masked);
        assertThat(list.get(1).deltas()).isEmpty();

        Delivery.Changes resolved = new Delivery.Changes("app", 0, 1, "tx", "lsn:1", 1L, 1L, list, null).resolved();
        assertThat(resolved.targets())
                .extracting(t -> t.deltas().get(0))
                .containsExactly(whole, whole, masked, whole, masked);
    }

    private static Delta delta(Map<String, Object> row) {
        return new Delta(DeltaOp.ADDED, Map.of("id", 1L), row, List.of());
    }

    private static SubscriptionId id(String query) {
        return new SubscriptionId("edge-1", "c1", query);
    }
}
