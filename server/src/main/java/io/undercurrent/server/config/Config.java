package io.undercurrent.server.config;

import java.util.Map;

/**
 * The validated configuration of one server process. Immutable; built by {@link ConfigLoader}.
 */
public final class Config {

    private final Map<Setting<?>, Object> values;
    private final Map<String, SourceConfig> sources;
    private final String defaultSource;

    Config(Map<Setting<?>, Object> values, Map<String, SourceConfig> sources, String defaultSource) {
        this.values = Map.copyOf(values);
        this.sources = Map.copyOf(sources);
        this.defaultSource = defaultSource;
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

    /** A copy with some settings replaced (the command line's options, the embedded infrastructure's ports). */
    public Config with(Map<Setting<?>, Object> overrides, Map<String, SourceConfig> newSources, String newDefaultSource) {
        java.util.HashMap<Setting<?>, Object> merged = new java.util.HashMap<>(values);
        merged.putAll(overrides);
        return new Config(merged, newSources == null ? sources : newSources, newDefaultSource == null ? defaultSource : newDefaultSource);
    }
}
