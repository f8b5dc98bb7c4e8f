package io.undercurrent.router;

import io.undercurrent.rules.LookupBinding;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Lets a router judge a change only once the lookup tables its rules consult ({@code lookups:} in rule
 * files) have applied every change Kafka already held: a member removed before a message was written
 * must not read that message because the membership's removal was still on its way to memory.
 *
 * <p>Implemented by whoever feeds the rules' lookup store (the server); the router knows nothing of
 * how. Called on the router's thread before it judges a batch holding changes of a table whose rule
 * looks something up; thread-safe.
 */
@FunctionalInterface
public interface LookupSync {

    /** For routers whose rules look nothing up, or tests: never waits. */
    LookupSync NONE = (source, timeout) -> true;

    /**
     * Waits until the looked-up tables of {@code source} hold every change of its change topic that
     * Kafka held when this was called.
     *
     * @return false when that did not happen within {@code timeout}: the router reads the batch again
     *         later rather than judge it against lookup tables that may lag
     */
    boolean awaitCurrent(String source, Duration timeout) throws InterruptedException;

    /**
     * Whether a looked-up row that may concern this subscriber (through {@code bindings}, the rule's
     * lookups) changed after the change being judged, whose source order is {@code sourceOrder}: the
     * lookups then hold a later state than that change saw, so the router does not send the row (an
     * {@code added} or {@code changed}; a removal is always sent). The edge reads the subscriber's rows
     * again when that looked-up row changes, and sends what the rules allow then.
     *
     * @param sourceOrder the change's {@code sourceOrder}; null when unknown (then false)
     */
    default boolean changedAfter(List<LookupBinding> bindings, Map<String, ?> auth, String sourceOrder) {
        return false;
    }
}
