package io.undercurrent.source.mongodb.internal;

import io.undercurrent.change.ChangeStamp;
import io.undercurrent.source.ReadPoint;

/**
 * A read at one MongoDB cluster time: the snapshot ({@code readConcern: snapshot}) holds exactly the
 * writes whose cluster time is at or below it, so a change is in the rows iff its cluster time is
 * {@code <=} the read's. All operations of one multi-document transaction share its commit's cluster
 * time, so a transaction is seen whole or not at all.
 *
 * <p>A change's cluster time comes from what its event carries: the {@code sourceOrder}
 * {@code mongo:<resume token data>} (the token's data begins with the cluster time: the key-string
 * type byte {@code 0x82}, then the BSON timestamp's seconds and increment as 8 big-endian bytes), or,
 * for events without a token, the position {@code ts:<seconds>:<increment>}. A stamp with neither
 * says nothing, and the change is applied. Immutable, thread-safe.
 */
public final class ClusterTimePoint implements ReadPoint {

    private static final String ORDER_PREFIX = "mongo:82";
    private static final String POSITION_PREFIX = "ts:";

    private final long clusterTime;

    /** @param clusterTime the read's BSON timestamp as {@code seconds << 32 | increment} (unsigned) */
    public ClusterTimePoint(long clusterTime) {
        this.clusterTime = clusterTime;
    }

    /** The read's cluster time ({@code seconds << 32 | increment}). */
    public long clusterTime() {
        return clusterTime;
    }

    @Override
    public boolean sees(ChangeStamp change) {
        long time = clusterTimeOf(change);
        return time != UNKNOWN && Long.compareUnsigned(time, clusterTime) <= 0;
    }

    /** Returned by {@link #clusterTimeOf} when the stamp does not say. Cluster time 0:0 is never a write's. */
    public static final long UNKNOWN = 0L;

    /** The change's cluster time ({@code seconds << 32 | increment}), or {@link #UNKNOWN}. */
    public static long clusterTimeOf(ChangeStamp change) {
        String order = change.sourceOrder();
        if (order != null
                && order.length() >= ORDER_PREFIX.length() + 16
                && order.regionMatches(true, 0, ORDER_PREFIX, 0, ORDER_PREFIX.length())) {
            try {
                return Long.parseUnsignedLong(order.substring(ORDER_PREFIX.length(), ORDER_PREFIX.length() + 16), 16);
            } catch (NumberFormatException e) {
                return UNKNOWN;
            }
        }
        String position = change.position();
        if (position != null && position.startsWith(POSITION_PREFIX)) {
            String[] parts = position.split(":", -1);
            if (parts.length == 3) {
                try {
                    long seconds = Long.parseLong(parts[1]);
                    long increment = Long.parseLong(parts[2]);
                    if (seconds >= 0 && seconds <= 0xFFFF_FFFFL && increment >= 0 && increment <= 0xFFFF_FFFFL) {
                        return seconds << 32 | increment;
                    }
                } catch (NumberFormatException e) {
                    return UNKNOWN;
                }
            }
        }
        return UNKNOWN;
    }

    /** {@code <seconds>.<increment>}: the protocol's snapshot position and logs. */
    @Override
    public String token() {
        return "mongo-cluster-time:" + (clusterTime >>> 32) + "." + (clusterTime & 0xFFFF_FFFFL);
    }

    @Override
    public String toString() {
        return token();
    }
}
