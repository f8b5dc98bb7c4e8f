package io.undercurrent.client;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The client's one thread: every event and timer of a client runs here, one at a time, so the state
 * they touch needs no lock. A task that throws is logged (an executor would otherwise keep the failure
 * in a future nobody reads); after {@link #shutdown()} tasks are dropped.
 */
final class ClientLoop implements Executor {

    private static final System.Logger LOG = System.getLogger(UndercurrentClient.class.getName());

    private final ScheduledThreadPoolExecutor executor;
    private volatile Thread thread;

    ClientLoop(String name) {
        this.executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            thread = t;
            return t;
        });
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        executor.setRemoveOnCancelPolicy(true);
    }

    @Override
    public void execute(Runnable task) {
        try {
            executor.execute(guarded(task));
        } catch (RejectedExecutionException e) {
            // shut down: the client is closed and nothing is left to do
        }
    }

    /** Runs {@code task} after {@code millis}; null once shut down. */
    ScheduledFuture<?> schedule(Runnable task, long millis) {
        try {
            return executor.schedule(guarded(task), millis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            return null;
        }
    }

    /** Runs {@code task} every {@code millis}, the first time after {@code millis}; null once shut down. */
    ScheduledFuture<?> every(Runnable task, long millis) {
        try {
            return executor.scheduleWithFixedDelay(guarded(task), millis, millis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            return null;
        }
    }

    boolean inLoop() {
        return Thread.currentThread() == thread;
    }

    void shutdown() {
        executor.shutdown();
    }

    static void cancel(ScheduledFuture<?> task) {
        if (task != null) {
            task.cancel(false);
        }
    }

    private static Runnable guarded(Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "the Undercurrent client failed handling an event", e);
            }
        };
    }
}
