package io.undercurrent.edge.internal;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Closes a connection at the instant its token expires, not at the next sweep: after every
 * successful {@code auth} the close is scheduled at the new deadline (the previous timer is
 * cancelled). The outbox refuses frames from the deadline on whatever the timer does; the timer
 * makes the client hear why at once. Thread-safe.
 */
final class TokenExpiry {

    private final ScheduledExecutorService timer;

    /** @param timer should remove cancelled tasks (a refresh cancels one per token) */
    TokenExpiry(ScheduledExecutorService timer) {
        this.timer = timer;
    }

    /** Schedules the close of this outbox's connection at its current deadline, replacing any earlier one. */
    void watch(Outbox outbox) {
        TokenDeadline deadline = outbox.deadline();
        long left = deadline.millisLeft();
        if (left == TokenDeadline.NEVER) {
            deadline.alarm(null);
            return;
        }
        deadline.alarm(timer.schedule(() -> fire(outbox), left, TimeUnit.MILLISECONDS));
    }

    private void fire(Outbox outbox) {
        // The timer counts in nanoTime, the deadline in the edge's clock; if they disagree by a
        // millisecond, look again rather than leave the close to the sweeper.
        if (!outbox.expireIfDue() && !outbox.isClosed()) {
            watch(outbox);
        }
    }
}
