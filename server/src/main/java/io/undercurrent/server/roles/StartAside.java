package io.undercurrent.server.roles;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A part started on a thread of its own while the caller starts another, so two parts that wait on
 * different things (a database's processes, a broker in this JVM) start side by side. Its failure
 * reaches the caller, unchanged, from {@link #await()}; {@link #discard} leaves nothing running
 * when the caller gives up.
 *
 * <p>Threading: {@link #await()} and {@link #discard} are called by the thread that started it.
 *
 * @param <T> what the start returns
 */
final class StartAside<T> {

    private final String what;
    private final FutureTask<T> task;

    private StartAside(String what, FutureTask<T> task) {
        this.what = what;
        this.task = task;
    }

    /**
     * Runs {@code start} now, on a daemon thread named {@code threadName}.
     *
     * @param what what starts, for messages: "the embedded PostgreSQL"
     */
    static <T> StartAside<T> run(String threadName, String what, Supplier<T> start) {
        StartAside<T> aside = new StartAside<>(what, new FutureTask<>(start::get));
        Thread thread = new Thread(aside.task, threadName);
        thread.setDaemon(true);
        thread.start();
        return aside;
    }

    /** Nothing to start: {@link #await()} returns {@code value} at once. */
    static <T> StartAside<T> done(T value) {
        StartAside<T> aside = new StartAside<>("nothing", new FutureTask<>(() -> value));
        aside.task.run();
        return aside;
    }

    /**
     * Waits for the start to end and returns what it started.
     *
     * @throws RuntimeException the start's own failure, as it threw it (an error is wrapped)
     */
    T await() {
        try {
            return task.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + what + " to start", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw new IllegalStateException(what + " failed to start: " + e.getCause(), e.getCause());
        }
    }

    /**
     * For a caller that gives up because of {@code failure}: waits (uninterruptibly, the start is
     * bounded by its own timeout) for the start to end, then stops what it started with {@code stop}.
     * A failure of the start itself, or of the stop, is added to {@code failure} as suppressed.
     */
    void discard(Consumer<T> stop, Throwable failure) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    T started = task.get();
                    if (started != null) {
                        stop.accept(started);
                    }
                    return;
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    if (e.getCause() != failure) {
                        failure.addSuppressed(e.getCause());
                    }
                    return;
                } catch (RuntimeException e) {
                    failure.addSuppressed(e);
                    return;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
