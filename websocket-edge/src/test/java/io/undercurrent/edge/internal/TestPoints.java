package io.undercurrent.edge.internal;

import io.undercurrent.change.ChangeStamp;
import io.undercurrent.source.ReadPoint;
import java.util.Arrays;

/**
 * Read points for tests, with PostgreSQL's rule over small transaction ids: {@code "xmin:xmax:xip,..."}
 * sees a change whose {@code txId} is below {@code xmin}, or below {@code xmax} and not in progress.
 */
final class TestPoints {

    private TestPoints() {}

    static ReadPoint xids(String snapshot) {
        String[] parts = snapshot.split(":", -1);
        long xmin = Long.parseLong(parts[0]);
        long xmax = Long.parseLong(parts[1]);
        long[] inProgress = parts[2].isEmpty()
                ? new long[0]
                : Arrays.stream(parts[2].split(",")).mapToLong(Long::parseLong).toArray();
        return new ReadPoint() {
            @Override
            public boolean sees(ChangeStamp change) {
                if (change.txId() == null) {
                    return false;
                }
                long xid = Long.parseLong(change.txId());
                return xid < xmin || (xid < xmax && Arrays.stream(inProgress).noneMatch(x -> x == xid));
            }

            @Override
            public String token() {
                return snapshot;
            }
        };
    }
}
