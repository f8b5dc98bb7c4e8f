package io.undercurrent.edge.internal;

import io.undercurrent.bus.SubscriptionId;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Subscribe requests read from clients whose validation (schema read, parsing, rules) still runs on a
 * worker. A request holds its query id from the moment its frame is read, so an {@code unsubscribe}
 * that follows at once finds it and ends it: the worker then opens nothing and answers nothing.
 * Thread-safe.
 */
final class PendingSubscribes {

    /** One request being validated. Its outcome is settled once, or it is cancelled; never both. */
    static final class Pending {

        private final SubscriptionId id;
        private boolean cancelled;
        private boolean settled;

        private Pending(SubscriptionId id) {
            this.id = id;
        }

        SubscriptionId id() {
            return id;
        }

        /**
         * Runs the request's outcome (opening the subscription, or answering an error) unless the
         * request was cancelled. The outcome runs under this request's lock, so a cancel either
         * comes first and prevents it, or waits until it is done and then fails.
         *
         * @return false when the request was cancelled: nothing ran
         */
        synchronized boolean settle(Runnable outcome) {
            if (cancelled) {
                return false;
            }
            settled = true;
            outcome.run();
            return true;
        }

        /** @return true when the request had not been settled: it never will be */
        synchronized boolean cancel() {
            if (settled) {
                return false;
            }
            cancelled = true;
            return true;
        }
    }

    private final ConcurrentHashMap<SubscriptionId, Pending> byId = new ConcurrentHashMap<>();

    /** @return the new request, or null when a request with this id is already being validated */
    Pending reserve(SubscriptionId id) {
        Pending pending = new Pending(id);
        return byId.putIfAbsent(id, pending) == null ? pending : null;
    }

    /** @return true when a request with this id was being validated: it is cancelled */
    boolean cancel(SubscriptionId id) {
        Pending pending = byId.get(id);
        if (pending == null || !pending.cancel()) {
            return false;
        }
        byId.remove(id, pending);
        return true;
    }

    /** Cancels every request of a connection that closed. */
    void cancelConnection(String connectionId) {
        for (Pending pending : byId.values()) {
            if (pending.id().connectionId().equals(connectionId)) {
                cancel(pending.id());
            }
        }
    }

    /** Forgets a request whose validation has finished, however it ended. */
    void done(Pending pending) {
        byId.remove(pending.id(), pending);
    }

    int size() {
        return byId.size();
    }
}
