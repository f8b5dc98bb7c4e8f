package io.undercurrent.edge;

/**
 * What an edge node is doing.
 *
 * @param up            accepting clients and receiving deliveries
 * @param lastError     the last failure in words, or null
 * @param connections   open client connections
 * @param subscriptions live queries on this edge
 */
public record EdgeHealth(boolean up, String lastError, int connections, int subscriptions) {
}
