package io.undercurrent.ingest.internal;

import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * A source database and its capture engines for the ingest loop's tests. The database is a log of
 * changes at positions 1, 2, 3...; the offset store is {@link #committed()}, the last position an
 * engine committed, moved only by the handler marking changes processed. Each engine starts after
 * the committed position and reads on the test's thread when the test says so ({@link
 * FakeEngine#read}). Not thread-safe: the loop and the test share one thread.
 */
final class FakeCaptureEngines implements CaptureEngines {

    private final List<RecordChangeEvent<SourceRecord>> log = new ArrayList<>();
    private final List<FakeEngine> engines = new ArrayList<>();
    private long committed;
    private RuntimeException preflightFailure;
    private boolean closed;

    /** The database commits {@code count} more changes. */
    FakeCaptureEngines write(int count) {
        for (int i = 0; i < count; i++) {
            log.add(TestChanges.change(log.size() + 1));
        }
        return this;
    }

    /** The start-up checks fail with {@code failure} until it is set to null (the cause fixed). */
    void failPreflight(RuntimeException failure) {
        preflightFailure = failure;
    }

    @Override
    public List<String> preflight() {
        if (preflightFailure != null) {
            throw preflightFailure;
        }
        return List.of("table public.notes has no primary key");
    }

    @Override
    public CaptureEngine create() {
        FakeEngine engine = new FakeEngine();
        engines.add(engine);
        return engine;
    }

    @Override
    public void close() {
        closed = true;
    }

    /** The last position committed to the offset store. */
    long committed() {
        return committed;
    }

    List<FakeEngine> engines() {
        return engines;
    }

    /** The engine created last. */
    FakeEngine current() {
        return engines.get(engines.size() - 1);
    }

    boolean closed() {
        return closed;
    }

    final class FakeEngine implements CaptureEngine {

        private DebeziumEngine.ChangeConsumer<RecordChangeEvent<SourceRecord>> handler;
        private Listener listener;
        private long startedAfter = -1;
        private long read;
        private boolean stopped;
        private boolean closed;

        @Override
        public void start(DebeziumEngine.ChangeConsumer<RecordChangeEvent<SourceRecord>> handler, Listener listener) {
            this.handler = handler;
            this.listener = listener;
            this.startedAfter = committed;
            this.read = committed;
        }

        /** Connected: the engine streams. */
        void connected() {
            listener.running();
        }

        /**
         * Hands the next {@code count} changes of the log to the handler as one batch, as Debezium's
         * thread does; a handler failure stops the engine with it, as Debezium does.
         */
        void read(int count) throws InterruptedException {
            if (stopped || closed) {
                throw new AssertionError("a stopped engine read the source");
            }
            int from = (int) read;
            int to = Math.min(log.size(), from + count);
            List<RecordChangeEvent<SourceRecord>> batch = List.copyOf(log.subList(from, to));
            read = to;
            try {
                handler.handleBatch(batch, new Committer());
            } catch (RuntimeException e) {
                fail(e);
            }
        }

        /** The engine stops with {@code error} (connection lost, login refused...). */
        void fail(Throwable error) {
            stopped = true;
            listener.stopped("the connector failed", error);
        }

        @Override
        public void close() {
            closed = true;
        }

        /** The committed position this engine started after. */
        long startedAfter() {
            return startedAfter;
        }

        boolean isClosed() {
            return closed;
        }
    }

    /** Commits each change marked processed; changes must be marked in log order, as Debezium requires. */
    private final class Committer implements DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> {

        @Override
        public void markProcessed(RecordChangeEvent<SourceRecord> record) {
            long position = TestChanges.position(record);
            if (position != committed + 1) {
                throw new AssertionError("position " + position + " marked processed after " + committed);
            }
            committed = position;
        }

        @Override
        public void markBatchFinished() {}

        @Override
        public void markProcessed(RecordChangeEvent<SourceRecord> record, DebeziumEngine.Offsets sourceOffsets) {
            markProcessed(record);
        }

        @Override
        public DebeziumEngine.Offsets buildOffsets() {
            return null;
        }
    }
}
