package io.undercurrent.source.mariadb.internal;

import io.undercurrent.change.ChangeStamp;
import io.undercurrent.source.ReadPoint;

/**
 * Which transactions a MySQL consistent snapshot contains: the server's executed GTID set
 * ({@code @@global.gtid_executed}) read while a global read lock held every commit back, in the same
 * moment the snapshot was taken. Every transaction committed then is in that set and in the snapshot,
 * and no other is, so a change is in the rows exactly when its transaction's GTID is in the set.
 * Ingest's MySQL change events carry that GTID as their {@code txId} ({@code uuid:n}); a change
 * without one (a server with {@code gtid_mode} off) is not seen and is applied.
 *
 * <p>GTIDs name transactions across a replication topology, so unlike binlog positions the point
 * stays right through a failover to a replica that has the same transactions. Immutable and
 * thread-safe.
 */
public final class GtidSetPoint implements ReadPoint {

    private static final String PREFIX = "gtid:";

    private final GtidSet executed;

    public GtidSetPoint(GtidSet executed) {
        this.executed = executed;
    }

    /**
     * The point a {@link #token()} names.
     *
     * @throws IllegalArgumentException when the token is not {@code gtid:<set>}
     */
    public static GtidSetPoint parse(String token) {
        if (!token.startsWith(PREFIX)) {
            throw new IllegalArgumentException("not a MySQL read point (gtid:<set>): " + token);
        }
        return new GtidSetPoint(GtidSet.parse(token.substring(PREFIX.length())));
    }

    @Override
    public boolean sees(ChangeStamp change) {
        String gtid = change.txId();
        return gtid != null && executed.contains(gtid);
    }

    /** {@code gtid:<set>}, the set without whitespace. */
    @Override
    public String token() {
        return PREFIX + executed;
    }

    @Override
    public String toString() {
        return token();
    }
}
