package io.undercurrent.ingest.internal;

/**
 * Writes watermarks into a source's log while its capture runs, so that readers of the change topic
 * learn exactly when they have read every change committed before a point (see
 * {@link io.undercurrent.change.Watermark}). Started with each capture engine and closed with it.
 */
interface Watermarks {

    /** Starts writing watermarks; the returned handle stops it. */
    Running start();

    /** A source that writes no watermarks. */
    Watermarks NONE = () -> () -> {};

    /** Writing watermarks; {@link #close()} stops it and returns once it stopped. */
    interface Running extends AutoCloseable {
        @Override
        void close();
    }
}
