package io.undercurrent.bus;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.undercurrent.change.ChangeStamp;
import java.util.List;
import java.util.Map;

/**
 * What a router writes to an edge's delivery topic. One record per change per edge carries the
 * deltas of every subscription on that edge the change touched.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = Delivery.Registered.class, name = "registered"),
    @JsonSubTypes.Type(value = Delivery.Changes.class, name = "changes")
})
public sealed interface Delivery {

    /**
     * A router has the subscription in its index: from now on it matches every change it reads from
     * {@code partitions} of the source's change topic, judged with rules of {@code rulesVersion}.
     * The edge takes its snapshot once acknowledgements cover all {@code partitionCount} partitions.
     *
     * @param from per acknowledged partition, the offset of the first change the router judges with
     *             the subscription in its index: every change at or after it is delivered, so a
     *             resume replays the change topic only below it. Empty from a router that does not
     *             say (the edge then does not resume)
     */
    record Registered(
            SubscriptionId id,
            long generation,
            String routerId,
            String rulesVersion,
            List<Integer> partitions,
            int partitionCount,
            Map<Integer, Long> from)
            implements Delivery {

        @JsonCreator
        public Registered {
            from = from == null ? Map.of() : Map.copyOf(from);
        }

        /** An acknowledgement that does not say where the router reads. */
        public Registered(
                SubscriptionId id,
                long generation,
                String routerId,
                String rulesVersion,
                List<Integer> partitions,
                int partitionCount) {
            this(id, generation, routerId, rulesVersion, partitions, partitionCount, Map.of());
        }
    }

    /**
     * The deltas one change produced on this edge.
     *
     * @param changePartition partition of the change topic the change was read from
     * @param changeOffset    its offset there; with the partition, lets the edge drop a change it
     *                        already delivered when a router replays after a crash
     * @param txId            the source transaction id, to stitch the stream to a snapshot
     * @param sourceOrder     the change's {@link io.undercurrent.change.ChangeEvent#sourceOrder()}, copied
     *                        as is; with the partition, lets the edge drop a change ingest published again
     *                        after a crash (same change, new offset). Null when the change has none.
     */
    record Changes(
            String source,
            int changePartition,
            long changeOffset,
            String txId,
            String position,
            long commitTimeMs,
            long ingestTimeMs,
            List<Target> targets,
            String sourceOrder)
            implements Delivery {

        @JsonCreator
        public Changes {}

        /** Deltas of a change without a source order. */
        public Changes(
                String source,
                int changePartition,
                long changeOffset,
                String txId,
                String position,
                long commitTimeMs,
                long ingestTimeMs,
                List<Target> targets) {
            this(source, changePartition, changeOffset, txId, position, commitTimeMs, ingestTimeMs, targets, null);
        }

        /** Where the change sits in its source's history, as its change event said. */
        public ChangeStamp stamp() {
            return new ChangeStamp(txId, position, sourceOrder);
        }
    }

    /** The deltas of one subscription, judged with rules of {@code rulesVersion}. */
    record Target(SubscriptionId id, long generation, String rulesVersion, List<Delta> deltas) {}
}
