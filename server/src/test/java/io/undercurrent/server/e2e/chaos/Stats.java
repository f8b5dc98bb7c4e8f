package io.undercurrent.server.e2e.chaos;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** What one scenario did, for its summary line. Thread-safe. */
final class Stats {

    final AtomicLong clients = new AtomicLong();
    final AtomicLong subscriptions = new AtomicLong();
    final AtomicLong windows = new AtomicLong();
    final AtomicLong unsubscriptions = new AtomicLong();
    final AtomicLong reconnects = new AtomicLong();
    final AtomicLong tokenRefreshes = new AtomicLong();
    final AtomicLong ruleEdits = new AtomicLong();
    final AtomicLong frames = new AtomicLong();
    final AtomicLong snapshots = new AtomicLong();
    final AtomicLong changeFrames = new AtomicLong();
    final AtomicLong errors = new AtomicLong();
    final AtomicLong refused = new AtomicLong();
    final AtomicLong departures = new AtomicLong();
    final AtomicLong resumeAttempts = new AtomicLong();
    final AtomicLong resumed = new AtomicLong();
    /** Subscribes with {@code after} for a query whose connection failed under the client (its edge was killed). */
    final AtomicLong resumeAttemptsAfterLoss = new AtomicLong();
    /** Resumed after the connection failed under the client (its edge was killed). */
    final AtomicLong resumedAfterLoss = new AtomicLong();
    /** Answered {@code reset} for a reason that holds (rules changed, a window). */
    final AtomicLong resumeRefused = new AtomicLong();
    /** Of those, after the connection failed under the client. */
    final AtomicLong resumeRefusedAfterLoss = new AtomicLong();

    private final Map<String, AtomicLong> resets = new ConcurrentHashMap<>();

    void reset(String reason) {
        resets.computeIfAbsent(reason, r -> new AtomicLong()).incrementAndGet();
    }

    @Override
    public String toString() {
        Map<String, Long> r = new TreeMap<>();
        resets.forEach((k, v) -> r.put(k, v.get()));
        return clients + " clients, " + subscriptions + " subscriptions (" + windows + " windows, " + unsubscriptions
                + " ended, " + refused + " refused by the rules), " + reconnects + " reconnects, "
                + departures + " departures, " + tokenRefreshes + " token refreshes, " + ruleEdits + " rule edits; "
                + resumeAttempts + " resumes asked: " + resumed + " resumed (" + resumedAfterLoss
                + " after the connection failed), " + resumeRefused + " refused for a reason that holds ("
                + resumeRefusedAfterLoss + " after the connection failed); " + frames
                + " frames: " + snapshots
                + " snapshots, "
                + changeFrames + " changes, resets " + r + (errors.get() > 0 ? ", " + errors + " error frames" : "");
    }
}
