package io.undercurrent.edge.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A scheduler whose one-shot tasks never run on their own: a test reads what was scheduled, with
 * which delay, and runs it when its (manual) clock says so. Cancelling works as usual.
 */
final class ManualTimer extends ScheduledThreadPoolExecutor {

    record Task(Runnable action, long delayMs, ScheduledFuture<?> future) {
        void run() {
            action.run();
        }

        boolean cancelled() {
            return future.isCancelled();
        }
    }

    private final List<Task> scheduled = new ArrayList<>();

    ManualTimer() {
        super(1);
    }

    @Override
    public synchronized ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        ScheduledFuture<?> future = super.schedule(() -> {}, 1, TimeUnit.DAYS);
        scheduled.add(new Task(command, unit.toMillis(delay), future));
        return future;
    }

    /** Every task scheduled so far, in order. */
    synchronized List<Task> scheduled() {
        return List.copyOf(scheduled);
    }

    /** The one scheduled task not cancelled. */
    synchronized Task pending() {
        List<Task> live = scheduled.stream().filter(t -> !t.cancelled()).toList();
        if (live.size() != 1) {
            throw new AssertionError("expected one pending task, found " + live);
        }
        return live.get(0);
    }
}
