package io.undercurrent.server.config;

import io.undercurrent.settings.Setting;
import java.util.Map;

/**
 * The validated configuration of one server process. Immutable; built by {@link ConfigLoader}.
 */
public final class Config {

    private final Map<Setting<?>, Object> values;
    private final Map<String, SourceConfig> sources;
    private final String defaultSource;
    private final Map<String, String> kafkaProperties;

    Config(
            Map<Setting<?>, Object> values,
            Map<String, SourceConfig> sources,
            String defaultSource,
            Map<String, String> kafkaProperties) {
        this.values = Map.copyOf(values);
        this.sources = Map.copyOf(sources);
        this.defaultSource = defaultSource;
        this.kafkaProperties = Map.copyOf(kafkaProperties);
    }

    /** The setting's value, its default when not set, or null when it has neither. */
    @SuppressWarnings("unchecked")
    public <T> T get(Setting<T> setting) {
        Object value = values.get(setting);
        return value != null ? (T) value : setting.defaultValue();
    }

    public boolean isSet(Setting<?> setting) {
        return values.containsKey(setting);
    }

    /** Configured sources by name (in embedded mode, the embedded database as source {@code app}). */
    public Map<String, SourceConfig> sources() {
        return sources;
    }

    public String defaultSource() {
        return defaultSource;
    }

    /**
     * The validated {@code kafka.properties.*} pass-through, keys without the prefix: given to every
     * Kafka client of every role, before the keys Undercurrent sets itself.
     */
    public Map<String, String> kafkaProperties() {
        return kafkaProperties;
    }

    /** The pass-through keys whose values must never be printed (passwords, JAAS configs). */
    public static boolean isSecretKafkaProperty(String property) {
        return KafkaProperties.isSecret(property);
    }

    /** A copy without the Kafka client properties (the embedded broker is local and plain: TLS or SASL would break it). */
    public Config withoutKafkaProperties() {
        return new Config(values, sources, defaultSource, Map.of());
    }

    /** A copy with some settings replaced (the command line's options, the embedded infrastructure's ports). */
    public Config with(
            Map<Setting<?>, Object> overrides, Map<String, SourceConfig> newSources, String newDefaultSource) {
        java.util.HashMap<Setting<?>, Object> merged = new java.util.HashMap<>(values);
        merged.putAll(overrides);
        return new Config(
                merged,
                newSources == null ? sources : newSources,
                newDefaultSource == null ? defaultSource : newDefaultSource,
                kafkaProperties);
    }
}
