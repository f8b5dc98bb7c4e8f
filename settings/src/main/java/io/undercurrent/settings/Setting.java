package io.undercurrent.settings;

import java.util.Objects;
import java.util.function.Function;

/**
 * One declared setting: its key, type, default, validation and documentation. Each module declares
 * its own settings as constants of this class, once, beside the code that uses them; the server
 * composes them into its configuration reference, loads and validates them.
 *
 * @param <T> the value's type
 */
public final class Setting<T> {

    /** Converts and validates a raw value (a YAML scalar or list, or an environment string). */
    @FunctionalInterface
    public interface Parser<T> {
        /** @throws IllegalArgumentException with a message saying what a valid value looks like */
        T parse(Object raw);
    }

    private final String key;
    private final String type;
    private final T defaultValue;
    private final Parser<T> parser;
    private final String doc;
    private final boolean secret;
    private final Function<T, String> describe;

    private Setting(String key, String type, T defaultValue, Parser<T> parser, String doc, boolean secret) {
        this.key = Objects.requireNonNull(key);
        this.type = type;
        this.defaultValue = defaultValue;
        this.parser = parser;
        this.doc = doc;
        this.secret = secret;
        this.describe = String::valueOf;
    }

    public static <T> Setting<T> of(String key, String type, T defaultValue, Parser<T> parser, String doc) {
        return new Setting<>(key, type, defaultValue, parser, doc, false);
    }

    /** A setting whose value is never printed (passwords, secrets). */
    public static <T> Setting<T> secret(String key, String type, T defaultValue, Parser<T> parser, String doc) {
        return new Setting<>(key, type, defaultValue, parser, doc, true);
    }

    public String key() {
        return key;
    }

    public String type() {
        return type;
    }

    /** The default, or null when the setting has none (it is then optional or checked elsewhere). */
    public T defaultValue() {
        return defaultValue;
    }

    public String doc() {
        return doc;
    }

    public boolean isSecret() {
        return secret;
    }

    /** Converts and validates a raw value; an {@link IllegalArgumentException} says what a valid value looks like. */
    public T parse(Object raw) {
        return parser.parse(raw);
    }

    /** The value as logs and the start-up banner may show it: secrets as {@code ****}. */
    public String describe(T value) {
        return secret ? "****" : describe.apply(value);
    }

    /**
     * The environment variable that overrides this setting: {@code UNDERCURRENT_} plus the key in upper
     * case with dots and dashes as underscores ({@code jwt.secret} is {@code UNDERCURRENT_JWT_SECRET}).
     */
    public String environmentVariable() {
        return environmentVariable(key);
    }

    public static String environmentVariable(String key) {
        return "UNDERCURRENT_"
                + key.toUpperCase(java.util.Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    @Override
    public String toString() {
        return key;
    }
}
