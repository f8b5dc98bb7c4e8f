package io.undercurrent.edge.internal;

import io.undercurrent.edge.protocol.CloseCode;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** A connection that keeps every frame sent to it, written at once. For tests. */
final class RecordingTransport implements Transport {

    final List<String> frames = new CopyOnWriteArrayList<>();
    volatile CloseCode closedWith;

    @Override
    public void send(String frame, Consumer<Throwable> done) {
        frames.add(frame);
        done.accept(null);
    }

    @Override
    public void close(CloseCode code, String reason) {
        closedWith = code;
    }

    @Override
    public boolean isOpen() {
        return closedWith == null;
    }

    @Override
    public void onClose(Runnable task) {}

    @Override
    public Object peer() {
        return "test";
    }
}
