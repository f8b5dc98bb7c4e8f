package io.undercurrent.bus;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
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

        /**
         * These changes with every target's deltas filled in: a target that shares another's deltas
         * gets that very list, so equal deltas stay one object on the edge too. Targets already
         * resolved, or sharing nothing, are kept as they are.
         *
         * @throws IllegalArgumentException when a target shares with one that is not before it
         */
        public Changes resolved() {
            boolean shares = false;
            for (Target t : targets) {
                shares |= t.sharesWith() != null;
            }
            if (!shares) {
                return this;
            }
            List<Target> out = new java.util.ArrayList<>(targets.size());
            for (int i = 0; i < targets.size(); i++) {
                Target t = targets.get(i);
                Integer owner = t.sharesWith();
                if (owner == null) {
                    out.add(t);
                } else if (owner < 0 || owner >= i || targets.get(owner).sharesWith() != null) {
                    throw new IllegalArgumentException(
                            "target " + i + " shares the deltas of target " + owner + ", which carries none");
                } else {
                    out.add(t.sharing(owner, targets.get(owner)));
                }
            }
            return new Changes(
                    source,
                    changePartition,
                    changeOffset,
                    txId,
                    position,
                    commitTimeMs,
                    ingestTimeMs,
                    out,
                    sourceOrder);
        }

        /** Where the change sits in its source's history, as its change event said. */
        public ChangeStamp stamp() {
            return new ChangeStamp(txId, position, sourceOrder);
        }
    }

    /**
     * The deltas of one subscription, judged with rules of {@code rulesVersion}.
     *
     * @param deltas     the deltas; empty when {@code sharesWith} names the target that carries them
     * @param sharesWith null, or the index in {@link Changes#targets()} of an earlier target whose deltas
     *                   this subscription receives too (equal deltas travel once per change and edge, and
     *                   the edge can encode them once); {@link Changes#resolved()} fills them in
     */
    record Target(
            SubscriptionId id,
            long generation,
            String rulesVersion,
            List<Delta> deltas,
            @JsonInclude(JsonInclude.Include.NON_NULL) Integer sharesWith) {

        @JsonCreator
        public Target {
            deltas = deltas == null ? List.of() : deltas;
        }

        /** A target carrying its own deltas. */
        public Target(SubscriptionId id, long generation, String rulesVersion, List<Delta> deltas) {
            this(id, generation, rulesVersion, deltas, null);
        }

        /** This target receiving the deltas {@code owner} carries, which is at {@code index}. */
        public Target sharing(int index, Target owner) {
            return new Target(id, generation, rulesVersion, owner.deltas, index);
        }
    }
}
