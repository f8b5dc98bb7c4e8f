package io.undercurrent.change;

import com.fasterxml.jackson.annotation.JsonCreator;
import java.util.Objects;

/**
 * A mark ingest writes into every partition of a source's change topic, in stream order with the
 * changes: each partition holds, before a watermark, every change of that partition that committed in
 * the source before the watermark's {@link #point()}. A reader that has read a partition past a
 * watermark has read every such change there; one that has read every partition past watermarks at
 * or after a read's point has every change the read saw (the source-read contract's
 * {@code ReadPoint.passedBy} compares the two).
 *
 * <p>A watermark record carries the Kafka header {@link #HEADER} (so readers tell it from a change
 * without decoding it), no key, and this record as its JSON value. Readers of change topics skip it
 * unless they use it; it is no change and must not be counted as a malformed one. Its value has no
 * {@code version} field, so a reader that predates watermarks and decodes it as a change finds version
 * 0 and skips it as unreadable rather than routing it. Immutable.
 *
 * @param watermarkVersion contract version of the watermark, {@value #CURRENT_VERSION}
 * @param source           the configured source name
 * @param point            where the source's log stood, in the form of the source's read points (for
 *                         PostgreSQL a {@code pg_current_snapshot()} text, {@code xmin:xmax:xip,...})
 * @param readAtMs         when ingest read the watermark from the source's log (epoch ms, ingest's clock)
 */
public record Watermark(int watermarkVersion, String source, String point, long readAtMs) {

    /** The Kafka header every watermark record carries (its value is {@code 1}). */
    public static final String HEADER = "undercurrent-watermark";

    public static final int CURRENT_VERSION = 1;

    @JsonCreator
    public Watermark {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(point, "point");
    }

    public Watermark(String source, String point, long readAtMs) {
        this(CURRENT_VERSION, source, point, readAtMs);
    }
}
