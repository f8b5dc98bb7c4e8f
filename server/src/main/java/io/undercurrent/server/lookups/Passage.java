package io.undercurrent.server.lookups;

import io.undercurrent.change.ChangeStamp;
import io.undercurrent.source.ReadPoint;

/**
 * Whether the lookup feeder, on one partition of a source's change topic, has read every change an
 * edge's read saw: then the lookups it holds are at least as new as the read there.
 */
enum Passage {
    /** Every change the read saw in this partition was read. */
    PASSED,
    /** Not yet: a watermark after the read will come. */
    WAIT,
    /**
     * The partition cannot tell (its source writes no watermarks, or none lately): it counts as passed
     * once read to its end a grace period after the read. Not exact: a change committed before the read
     * that ingest has not yet published is missed.
     */
    GRACE;

    /**
     * @param point         the read's point
     * @param lastChange    the stamp of the last change read on the partition, or null
     * @param lastWatermark the point of the last watermark read on the partition, or null
     * @param watermarked   whether the source writes watermarks (one was read on its topic lately)
     */
    static Passage of(ReadPoint point, ChangeStamp lastChange, String lastWatermark, boolean watermarked) {
        if (lastChange != null && !point.sees(lastChange)) {
            return PASSED; // a change after the read was read here: everything before it was too
        }
        ReadPoint.Passage byWatermark = lastWatermark == null ? null : point.passedBy(lastWatermark);
        if (byWatermark == ReadPoint.Passage.AFTER) {
            return PASSED; // every change before the watermark was read here, and the read saw no other
        }
        if (!watermarked || byWatermark == ReadPoint.Passage.UNKNOWN) {
            return GRACE;
        }
        return WAIT;
    }
}
