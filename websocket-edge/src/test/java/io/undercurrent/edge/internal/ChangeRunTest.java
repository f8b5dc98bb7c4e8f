package io.undercurrent.edge.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.undercurrent.bus.Delivery;
import io.undercurrent.bus.SubscriptionId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChangeRunTest {

    private final RecentDeltas recent = new RecentDeltas();

    /** Each subscription's order of changes is the dispatcher's to show ({@link DeliveryDispatcherTest}). */
    private EdgeSubscription sub(String name) {
        return TodoSubscriptions.open(new SubscriptionId("edge", name, "q1"));
    }

    private static Delivery.Changes change(long offset) {
        return new Delivery.Changes("app", 0, offset, "1", "lsn", 0, 0, List.of());
    }

    private static Delivery.Target target(EdgeSubscription sub) {
        return new Delivery.Target(sub.id(), 1, "v1", List.of());
    }

    @Test
    void handsEachSubscriptionItsChangesInOrderSubscriptionsInTheOrderTheyFirstCame() {
        ChangeRun run = new ChangeRun();
        EdgeSubscription a = sub("a");
        EdgeSubscription b = sub("b");
        run.add(b, change(1), target(b));
        run.add(a, change(1), target(a));
        run.add(a, change(2), target(a));
        run.add(b, change(3), target(b));
        run.add(a, change(3), target(a));

        List<EdgeSubscription> delivered = new ArrayList<>();
        run.deliver(recent, delivered::add);

        assertThat(delivered).containsExactly(b, a);
        assertThat(run.size()).as("forgotten once handed over").isZero();
    }

    @Test
    void aSubscriptionGetsAFreshSlotInTheNextRun() {
        ChangeRun run = new ChangeRun();
        EdgeSubscription a = sub("a");
        EdgeSubscription b = sub("b");
        run.add(a, change(1), target(a));
        run.deliver(recent, s -> {});

        run.add(b, change(2), target(b));
        run.add(a, change(2), target(a));
        List<EdgeSubscription> delivered = new ArrayList<>();
        run.deliver(recent, delivered::add);

        assertThat(delivered).containsExactly(b, a);
    }

    @Test
    void isFullAtItsBound() {
        ChangeRun run = new ChangeRun();
        EdgeSubscription a = sub("a");
        for (int i = 0; i < ChangeRun.MAX_DELTAS - 1; i++) {
            run.add(a, change(i), target(a));
        }
        assertThat(run.full()).isFalse();
        run.add(a, change(ChangeRun.MAX_DELTAS), target(a));
        assertThat(run.full()).isTrue();
        run.deliver(recent, s -> {});
        assertThat(run.full()).isFalse();
    }

    @Test
    void isFullAfterItsMostChanges() {
        ChangeRun run = new ChangeRun();
        EdgeSubscription a = sub("a");
        for (int i = 1; i < ChangeRun.MAX_CHANGES; i++) {
            run.add(a, change(i), target(a));
            run.changeRead();
        }
        assertThat(run.full()).isFalse();
        run.changeRead(); // a change with no target here still counts
        assertThat(run.full()).isTrue();
        run.deliver(recent, s -> {});
        assertThat(run.full()).isFalse();
    }
}
