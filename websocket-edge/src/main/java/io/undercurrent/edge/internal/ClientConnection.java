package io.undercurrent.edge.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The state of one client connection: who it is (verified claims), its live queries, its outbox and
 * its rate limit. Fields read by the sweeper are volatile; frames of one connection are handled one
 * at a time (Undertow delivers them in order on the connection's IO thread).
 */
final class ClientConnection {

    private final String id;
    private final Outbox outbox;
    private final RateLimiter limiter;
    private final ConcurrentHashMap<String, EdgeSubscription> subscriptions = new ConcurrentHashMap<>();
    private volatile boolean authenticated;
    private volatile Map<String, Object> claims;
    private volatile Long expiresAt;
    private volatile long lastActivity;
    private int rateStrikes;
    private final boolean idles;

    /** A WebSocket connection: closed when the client sends nothing for the idle timeout. */
    ClientConnection(String id, Outbox outbox, RateLimiter limiter, long now) {
        this(id, outbox, limiter, now, true);
    }

    /**
     * @param idles whether silence from the client means it is gone; false for a stream of events,
     *              whose client never sends (a failed heartbeat write finds it gone instead)
     */
    ClientConnection(String id, Outbox outbox, RateLimiter limiter, long now, boolean idles) {
        this.id = id;
        this.outbox = outbox;
        this.limiter = limiter;
        this.lastActivity = now;
        this.idles = idles;
    }

    boolean idles() {
        return idles;
    }

    String id() {
        return id;
    }

    Outbox outbox() {
        return outbox;
    }

    /** Records activity and takes a rate-limit token; false when the client sends too fast. */
    boolean admit(long now) {
        lastActivity = now;
        synchronized (this) {
            boolean admitted = limiter.tryAcquire(now);
            if (admitted) {
                rateStrikes = 0;
            }
            return admitted;
        }
    }

    /** Counts a refused frame; returns how many were refused in a row. */
    synchronized int rateStrike() {
        return ++rateStrikes;
    }

    long lastActivity() {
        return lastActivity;
    }

    boolean authenticated() {
        return authenticated;
    }

    /** The verified claims, or null for an anonymous client. */
    Map<String, Object> claims() {
        return claims;
    }

    Long expiresAt() {
        return expiresAt;
    }

    /**
     * Takes a verified token's identity and moves the outbox's deadline to its expiry.
     *
     * @return false, changing nothing, when the previous token had already expired: a refresh must
     *         arrive before {@code exp}, and the connection is being closed
     */
    boolean authenticate(Map<String, Object> newClaims, Long newExpiresAt) {
        if (!outbox.deadline().moveTo(newExpiresAt)) {
            return false;
        }
        claims = newClaims;
        expiresAt = newExpiresAt;
        authenticated = true;
        return true;
    }

    ConcurrentHashMap<String, EdgeSubscription> subscriptions() {
        return subscriptions;
    }
}
