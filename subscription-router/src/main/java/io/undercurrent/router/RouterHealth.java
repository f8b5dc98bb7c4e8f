package io.undercurrent.router;

/**
 * What a router is doing.
 *
 * @param running        the routing loop is up
 * @param lastError      the last failure in words, or null
 * @param subscriptions  subscriptions in the index
 * @param changesRouted  changes read and matched since start
 * @param deliveries     delivery records written to edges since start
 */
public record RouterHealth(boolean running, String lastError, int subscriptions, long changesRouted, long deliveries) {
}
