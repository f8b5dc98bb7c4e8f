package io.undercurrent.edge.internal;

import java.time.Clock;
import java.util.concurrent.Future;

/**
 * The instant a connection's token stops letting frames out: exactly its {@code exp}, read from the
 * edge's clock. A refresh before then moves it; once reached it stays reached, so a refresh that
 * arrives a moment too late cannot revive the connection. It also holds the timer that closes the
 * connection at that instant (see {@link TokenExpiry}). Thread-safe.
 */
final class TokenDeadline {

    static final long NEVER = Long.MAX_VALUE;

    private final Clock clock;
    private long expiresAt = NEVER;
    private boolean reached;
    private Future<?> alarm;

    TokenDeadline(Clock clock) {
        this.clock = clock;
    }

    /** True from the deadline on. */
    synchronized boolean reached() {
        if (!reached && clock.millis() >= expiresAt) {
            reached = true;
        }
        return reached;
    }

    /** Milliseconds until the deadline: 0 once reached, {@link #NEVER} when the token does not expire. */
    synchronized long millisLeft() {
        if (reached()) {
            return 0;
        }
        return expiresAt == NEVER ? NEVER : expiresAt - clock.millis();
    }

    /**
     * Moves the deadline to a fresh token's expiry.
     *
     * @param newExpiresAt epoch ms, or null for a token without {@code exp}
     * @return false, changing nothing, when the current deadline was already reached
     */
    synchronized boolean moveTo(Long newExpiresAt) {
        if (reached()) {
            return false;
        }
        expiresAt = newExpiresAt == null ? NEVER : newExpiresAt;
        return true;
    }

    /** Replaces the timer that fires at the deadline (null for none), cancelling the previous one. */
    synchronized void alarm(Future<?> next) {
        if (alarm != null) {
            alarm.cancel(false);
        }
        alarm = next;
    }

    /** Cancels the timer: the connection is gone. */
    void cancel() {
        alarm(null);
    }
}
