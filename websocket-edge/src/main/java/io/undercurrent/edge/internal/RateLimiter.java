package io.undercurrent.edge.internal;

/**
 * A token bucket: {@code perSecond} frames sustained, bursts up to twice that. Not thread-safe; each
 * connection owns one and calls it from its receive path.
 */
final class RateLimiter {

    private final double perMs;
    private final double capacity;
    private double tokens;
    private long last;

    RateLimiter(int perSecond, long nowMs) {
        this.perMs = perSecond / 1000.0;
        this.capacity = perSecond * 2.0;
        this.tokens = capacity;
        this.last = nowMs;
    }

    boolean tryAcquire(long nowMs) {
        tokens = Math.min(capacity, tokens + (nowMs - last) * perMs);
        last = nowMs;
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }
}
