package io.undercurrent.ingest.internal;

import java.util.List;

/**
 * The database side of one source, as the ingest loop sees it: the checks made before each start,
 * and a new engine for each start. Debezium: {@link DebeziumCaptureEngines}; tests: an in-memory fake.
 */
interface CaptureEngines extends AutoCloseable {

    /**
     * Checks that the database is reachable and set up for capture.
     *
     * @return warnings to tell the user (never null)
     * @throws io.undercurrent.ingest.SourceException naming every problem found
     */
    List<String> preflight();

    /** A new engine, not started, that will read from the source's last committed position. */
    CaptureEngine create();

    /** Releases what engines share (their thread); bounded in time. */
    @Override
    void close();
}
