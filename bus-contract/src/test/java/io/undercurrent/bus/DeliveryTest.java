package io.undercurrent.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeliveryTest {

    private final BusCodec codec = new BusCodec();
    private final Delta delta = new Delta(DeltaOp.ADDED, Map.of("id", 1L), Map.of("id", 1L, "title", "a"), List.of());

    @Test
    void targetsSharingDeltasReadThemOnceAndResolveToTheSameObjects() {
        Delivery.Changes sent = changes(List.of(
                new Delivery.Target(id("q1"), 1, "v1", List.of(delta)),
                new Delivery.Target(id("q2"), 2, "v1", List.of(), 0),
                new Delivery.Target(id("q3"), 3, "v1", List.of(), 0)));
        byte[] bytes = codec.encode(sent);
        String json = new String(bytes, StandardCharsets.UTF_8);
        assertThat(json.split("\"title\"", -1)).hasSize(2); // the row travels once
        assertThat(json).contains("\"sharesWith\":0");

        Delivery.Changes read = ((Delivery.Changes) codec.decode(bytes, Delivery.class)).resolved();

        assertThat(read.targets()).extracting(Delivery.Target::id).containsExactly(id("q1"), id("q2"), id("q3"));
        assertThat(read.targets()).extracting(Delivery.Target::generation).containsExactly(1L, 2L, 3L);
        assertThat(read.targets().get(0).deltas()).containsExactly(delta);
        assertThat(read.targets().get(1).deltas())
                .isSameAs(read.targets().get(0).deltas());
        assertThat(read.targets().get(2).deltas())
                .isSameAs(read.targets().get(0).deltas());
    }

    @Test
    void aTargetOfItsOwnSaysNothingOfSharingAndResolvesToItself() {
        Delivery.Changes sent = changes(List.of(new Delivery.Target(id("q1"), 1, "v1", List.of(delta))));
        assertThat(new String(codec.encode(sent), StandardCharsets.UTF_8)).doesNotContain("sharesWith");
        assertThat(sent.resolved()).isSameAs(sent);
    }

    @Test
    void sharingWithATargetThatIsNotAnEarlierCarrierIsRefused() {
        for (int owner : new int[] {1, 2, -1}) {
            Delivery.Changes bad = changes(List.of(
                    new Delivery.Target(id("q1"), 1, "v1", List.of(delta)),
                    new Delivery.Target(id("q2"), 1, "v1", List.of(), owner),
                    new Delivery.Target(id("q3"), 1, "v1", List.of(), 1)));
            assertThatThrownBy(bad::resolved)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("carries none");
        }
    }

    private static Delivery.Changes changes(List<Delivery.Target> targets) {
        return new Delivery.Changes("app", 0, 7, "tx1", "lsn:1", 1L, 2L, targets, "order-1");
    }

    private static SubscriptionId id(String query) {
        return new SubscriptionId("edge-1", "c1", query);
    }
}
