package io.undercurrent.server.config;

import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * The {@code kafka.properties.*} pass-through: which Kafka client properties a deployment may set for
 * every client (TLS, SASL, timeouts), which ones Undercurrent keeps to itself, and which values are
 * secrets. Every client puts its own keys after these, so a reserved key would be silently ignored;
 * it is refused at load instead.
 */
final class KafkaProperties {

    static final String PREFIX = "kafka.properties.";
    static final String ENVIRONMENT_PREFIX = "UNDERCURRENT_KAFKA_PROPERTIES_";

    private static final String GUARANTEES = "Undercurrent sets it; changing it would break at-least-once delivery";
    /** Keys Undercurrent sets on its clients, with the setting to use instead or why not. */
    private static final Map<String, String> RESERVED = Map.ofEntries(
            Map.entry("bootstrap.servers", "use kafka.bootstrap-servers"),
            Map.entry("key.serializer", "Undercurrent sets it"),
            Map.entry("value.serializer", "Undercurrent sets it"),
            Map.entry("key.deserializer", "Undercurrent sets it"),
            Map.entry("value.deserializer", "Undercurrent sets it"),
            Map.entry("acks", GUARANTEES),
            Map.entry("enable.idempotence", GUARANTEES),
            Map.entry("max.in.flight.requests.per.connection", GUARANTEES),
            Map.entry("enable.auto.commit", GUARANTEES),
            Map.entry("auto.offset.reset", GUARANTEES),
            Map.entry("transactional.id", GUARANTEES),
            Map.entry("isolation.level", GUARANTEES),
            Map.entry("group.id", "use router.group-id"),
            Map.entry("client.id", "Undercurrent names each client after its role and id"));

    private static final Pattern SECRET = Pattern.compile(".*(password|jaas|secret|token).*");
    private static final Set<String> KNOWN = known();

    private KafkaProperties() {}

    private static Set<String> known() {
        Set<String> names = new HashSet<>(ProducerConfig.configNames());
        names.addAll(ConsumerConfig.configNames());
        names.addAll(AdminClientConfig.configNames());
        return names;
    }

    /** @return what is wrong with this property key (without the prefix), or null when it may be passed through */
    static String problem(String property) {
        String reserved = RESERVED.get(property);
        if (reserved != null) {
            return "'" + PREFIX + property + "' cannot be set: " + reserved;
        }
        if (!KNOWN.contains(property)) {
            return "'" + PREFIX + property + "' is no Kafka client property" + suggestion(property);
        }
        return null;
    }

    static boolean isSecret(String property) {
        return SECRET.matcher(property.toLowerCase(Locale.ROOT)).matches();
    }

    /** {@code UNDERCURRENT_KAFKA_PROPERTIES_SECURITY_PROTOCOL} is {@code kafka.properties.security.protocol}. */
    static String keyOf(String variable) {
        if (!variable.startsWith(ENVIRONMENT_PREFIX) || variable.length() == ENVIRONMENT_PREFIX.length()) {
            return null;
        }
        // Kafka's property names have no underscores, so every underscore was a dot.
        return PREFIX
                + variable.substring(ENVIRONMENT_PREFIX.length())
                        .toLowerCase(Locale.ROOT)
                        .replace('_', '.');
    }

    private static String suggestion(String property) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : new TreeSet<>(KNOWN)) {
            int d = ConfigLoader.distance(property, candidate);
            if (d < bestDistance) {
                bestDistance = d;
                best = candidate;
            }
        }
        return bestDistance <= 3
                ? "; did you mean '" + best + "'?"
                : "; see the Kafka documentation of producer, consumer and admin configs";
    }
}
