package io.undercurrent.bus.kafka;

import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.UnsupportedVersionException;

/** Decides once, for router and edge alike, whether a Kafka failure passes by itself. Stateless. */
public final class KafkaFailures {

    private KafkaFailures() {}

    /**
     * Needs action: authentication, authorization (topic, group, cluster), invalid configuration, an
     * unsupported broker version, a record too large for the broker. Retriable: everything else
     * (Kafka's {@code RetriableException}s, timeouts, disconnects, an unacknowledged delivery, anything
     * unknown), since a loop that stops for good on a passing failure is worse than one that retries
     * a lasting one at the longest backoff.
     */
    public static BusFailure classify(Throwable failure) {
        if (failure instanceof BusFailure known) {
            return known;
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof AuthenticationException
                    || t instanceof AuthorizationException
                    || t instanceof InvalidConfigurationException
                    || t instanceof ConfigException
                    || t instanceof UnsupportedVersionException
                    || t instanceof RecordTooLargeException) {
                return new BusFailure(
                        describe(t) + "; fix the Kafka settings or permissions (retried every so often)",
                        failure,
                        false);
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return new BusFailure(describe(failure), failure, true);
    }

    private static String describe(Throwable t) {
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
