package io.undercurrent.router;

import java.time.Duration;

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
}
