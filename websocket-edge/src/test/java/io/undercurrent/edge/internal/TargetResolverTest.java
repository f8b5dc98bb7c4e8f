package io.undercurrent.edge.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.undercurrent.bus.SubscriptionId;
import org.junit.jupiter.api.Test;

class TargetResolverTest {

    private final SubscriptionTable table = new SubscriptionTable();
    private final TargetResolver resolver = new TargetResolver(table);

    private EdgeSubscription sub(String connection) {
        return TodoSubscriptions.open(new SubscriptionId("edge", connection, "q1"));
    }

    /** A fresh id object with equal parts, as decoding a delivery makes one. */
    private static SubscriptionId decoded(EdgeSubscription sub) {
        SubscriptionId id = sub.id();
        return new SubscriptionId(new String(id.edgeId()), new String(id.connectionId()), new String(id.queryId()));
    }

    @Test
    void remembersWhatItFoundAtEachPositionAndChecksTheIdEachTime() {
        EdgeSubscription a = sub("a");
        EdgeSubscription b = sub("b");
        table.add(a);
        table.add(b);

        resolver.refresh(2);
        assertThat(resolver.resolve(0, decoded(a))).isSameAs(a);
        assertThat(resolver.resolve(1, decoded(b))).isSameAs(b);
        assertThat(resolver.remembered()).isEqualTo(2);

        resolver.refresh(2);
        assertThat(resolver.resolve(0, decoded(b)))
                .as("another order: looked up")
                .isSameAs(b);
        assertThat(resolver.resolve(1, decoded(a))).isSameAs(a);
        assertThat(resolver.resolve(1, decoded(a))).isSameAs(a);
    }

    @Test
    void aTargetUnknownToThisEdgeResolvesToNothing() {
        EdgeSubscription a = sub("a");
        table.add(a);

        resolver.refresh(3);
        assertThat(resolver.resolve(0, new SubscriptionId("edge", "gone", "q1")))
                .isNull();
        assertThat(resolver.resolve(1, new SubscriptionId("other-edge", "a", "q1")))
                .as("same connection and query on another edge")
                .isNull();
        assertThat(resolver.resolve(2, new SubscriptionId("edge", "a", "q2"))).isNull();
        assertThat(resolver.remembered()).isZero();
    }

    @Test
    void forgetsARemovedSubscriptionAtTheNextRefreshAndFindsOneThatReplacedIt() {
        EdgeSubscription old = sub("a");
        table.add(old);
        resolver.refresh(1);
        assertThat(resolver.resolve(0, decoded(old))).isSameAs(old);

        table.remove(old);
        resolver.refresh(0);
        assertThat(resolver.remembered()).as("nothing removed is kept").isZero();
        resolver.refresh(1);
        assertThat(resolver.resolve(0, decoded(old))).isNull();

        EdgeSubscription fresh = sub("a");
        table.add(fresh);
        resolver.refresh(1);
        assertThat(resolver.resolve(0, decoded(old))).isSameAs(fresh);
    }

    @Test
    void aRemovalThatFailsLeavesTheTableVersionAlone() {
        EdgeSubscription a = sub("a");
        table.add(a);
        long version = table.version();

        assertThat(table.add(sub("a"))).as("id taken").isFalse();
        assertThat(table.remove(sub("a"))).as("not this one").isFalse();
        assertThat(table.remove(new SubscriptionId("edge", "b", "q1"))).isNull();

        assertThat(table.version()).isEqualTo(version);
        assertThat(table.get(decoded(a))).isSameAs(a);
    }
}
