package io.undercurrent.bus.kafka;

/**
 * A Kafka failure of a router or edge loop, classified once by {@link KafkaFailures#classify}: either
 * retriable (reopen the clients after a backoff; it passes by itself) or one that needs action
 * (credentials, authorization, configuration: it stays until someone fixes it, so it is tried again
 * only at the longest backoff, and health says so).
 */
public final class BusFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final boolean retriable;

    BusFailure(String message, Throwable cause, boolean retriable) {
        super(message, cause);
        this.retriable = retriable;
    }

    /** True when trying again later can succeed without anyone changing anything. */
    public boolean retriable() {
        return retriable;
    }
}
