package io.undercurrent.ingest.internal;

import io.undercurrent.ingest.spi.ChangeSink;

/**
 * Opens the sink one engine run publishes to (for Kafka: creates the topics if needed and opens a
 * producer). A sink that failed once is closed and never reused: each start opens a new one.
 */
@FunctionalInterface
interface SinkFactory {

    ChangeSink open() throws InterruptedException;
}
