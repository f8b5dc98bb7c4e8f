package io.undercurrent.bus;

import java.util.Objects;

/**
 * Names one live query of one client connection on one edge node. It is the Kafka key of the
 * subscription record and of every delivery for it.
 *
 * @param edgeId       the edge node holding the connection
 * @param connectionId the connection, unique per edge process
 * @param queryId      the client's own id for the query ({@code q1})
 */
public record SubscriptionId(String edgeId, String connectionId, String queryId) {

    public SubscriptionId {
        Objects.requireNonNull(edgeId, "edgeId");
        Objects.requireNonNull(connectionId, "connectionId");
        Objects.requireNonNull(queryId, "queryId");
    }

    /** The key form, {@code edgeId/connectionId/queryId}; the query id may itself contain '/'. */
    public String asKey() {
        return edgeId + '/' + connectionId + '/' + queryId;
    }

    public static SubscriptionId parse(String key) {
        int first = key.indexOf('/');
        int second = first < 0 ? -1 : key.indexOf('/', first + 1);
        if (first <= 0 || second <= first + 1) {
            throw new IllegalArgumentException("not a subscription key: " + key);
        }
        return new SubscriptionId(key.substring(0, first), key.substring(first + 1, second), key.substring(second + 1));
    }
}
