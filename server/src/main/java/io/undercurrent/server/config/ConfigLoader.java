package io.undercurrent.server.config;

import io.undercurrent.ingest.IngestSettingDeclarations;
import io.undercurrent.ingest.SourceKind;
import io.undercurrent.router.RouterSettingDeclarations;
import io.undercurrent.settings.Setting;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Reads the configuration: one YAML file (optional) overridden by {@code UNDERCURRENT_*} environment
 * variables, checked against {@link ServerSettings}. Every problem is collected and reported at once.
 * An unknown key in the file and an unknown {@code UNDERCURRENT_*} variable are both errors naming the
 * closest setting: a typo must not silently fall back to a default (a mistyped
 * {@code UNDERCURRENT_JWT_SECRET} would otherwise run on the development secret). No
 * {@code UNDERCURRENT_*} variable that is not a setting is read by anything, so none is exempt.
 */
public final class ConfigLoader {

    private static final Pattern SOURCE_NAME = Pattern.compile("[a-z][a-z0-9]{0,39}");
    private static final Pattern SOURCE_KEY = Pattern.compile("sources\\.([^.]+)\\.(.+)");

    private final Map<String, String> environment;

    public ConfigLoader(Map<String, String> environment) {
        this.environment = environment;
    }

    /** @param file the YAML file, or null for environment and defaults only */
    public Config load(Path file) throws ConfigException {
        List<String> problems = new ArrayList<>();
        Map<String, Object> raw = new LinkedHashMap<>();
        Map<String, String> origin = new HashMap<>();
        if (file != null) {
            readFile(file, raw, origin, problems);
        }
        readEnvironment(raw, origin, problems);

        Map<String, Setting<?>> byKey = new HashMap<>();
        ServerSettings.ALL.forEach(s -> byKey.put(s.key(), s));
        Map<Setting<?>, Object> values = new HashMap<>();
        Map<String, Map<Setting<?>, Object>> sourceValues = new TreeMap<>();
        Map<String, String> kafkaProperties = new TreeMap<>();
        for (Map.Entry<String, Object> entry : raw.entrySet()) {
            String key = entry.getKey();
            if (key.startsWith(KafkaProperties.PREFIX)) {
                kafkaProperty(key, entry.getValue(), origin, kafkaProperties, problems);
                continue;
            }
            Matcher source = SOURCE_KEY.matcher(key);
            if (source.matches() && !key.equals(ServerSettings.DEFAULT_SOURCE.key())) {
                String name = source.group(1);
                Setting<?> template = byKey.get("sources.*." + source.group(2));
                if (!SOURCE_NAME.matcher(name).matches()) {
                    problems.add(origin.get(key) + ": source name '" + name
                            + "' must be lower-case letters and digits, starting with a letter");
                } else if (template == null) {
                    problems.add(origin.get(key) + ": unknown setting '" + key + "'; a source has " + templateNames());
                } else {
                    parse(template, entry.getValue(), key, origin, problems)
                            .ifPresent(v -> sourceValues
                                    .computeIfAbsent(name, n -> new HashMap<>())
                                    .put(template, v));
                }
                continue;
            }
            Setting<?> setting = byKey.get(key);
            if (setting == null || key.contains("*")) {
                problems.add(origin.get(key) + ": unknown setting '" + key + "'" + suggestion(key));
                continue;
            }
            parse(setting, entry.getValue(), key, origin, problems).ifPresent(v -> values.put(setting, v));
        }
        Map<String, SourceConfig> sources = new LinkedHashMap<>();
        sourceValues.forEach((name, v) -> sources.put(name, source(name, v, problems)));
        String defaultSource = defaultSource(values, sources, problems);
        atLeast(values, RouterSettingDeclarations.RETRY_BACKOFF_MAX, RouterSettingDeclarations.RETRY_BACKOFF, problems);
        atLeast(values, IngestSettingDeclarations.RETRY_BACKOFF_MAX, IngestSettingDeclarations.RETRY_BACKOFF, problems);
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return new Config(values, sources, defaultSource, kafkaProperties);
    }

    private static void kafkaProperty(
            String key,
            Object value,
            Map<String, String> origin,
            Map<String, String> properties,
            List<String> problems) {
        String property = key.substring(KafkaProperties.PREFIX.length());
        String problem = KafkaProperties.problem(property);
        if (problem != null) {
            problems.add(origin.get(key) + ": " + problem);
        } else if (value instanceof List<?> list) {
            properties.put(
                    property,
                    String.join(",", list.stream().map(String::valueOf).toList()));
        } else {
            properties.put(property, String.valueOf(value));
        }
    }

    /** A maximum below its minimum is reported naming both settings. */
    private static void atLeast(
            Map<Setting<?>, Object> values,
            Setting<java.time.Duration> max,
            Setting<java.time.Duration> min,
            List<String> problems) {
        java.time.Duration maxValue = (java.time.Duration) values.getOrDefault(max, max.defaultValue());
        java.time.Duration minValue = (java.time.Duration) values.getOrDefault(min, min.defaultValue());
        if (maxValue.compareTo(minValue) < 0) {
            problems.add("'" + max.key() + "' = '" + maxValue + "' is below '" + min.key() + "' = '" + minValue
                    + "'; raise the first or lower the second");
        }
    }

    private static java.util.Optional<Object> parse(
            Setting<?> setting, Object value, String key, Map<String, String> origin, List<String> problems) {
        try {
            return java.util.Optional.ofNullable(setting.parse(value));
        } catch (IllegalArgumentException e) {
            String shown = setting.isSecret() ? "****" : String.valueOf(value);
            problems.add(origin.get(key) + ": '" + key + "' = '" + shown + "' is invalid: " + e.getMessage());
            return java.util.Optional.empty();
        }
    }

    private static SourceConfig source(String name, Map<Setting<?>, Object> v, List<String> problems) {
        String connectionString = (String) v.getOrDefault(ServerSettings.SOURCE_CONNECTION_STRING, "");
        for (Setting<?> required : List.of(ServerSettings.SOURCE_DATABASE, ServerSettings.SOURCE_USER)) {
            // A MongoDB connection string carries the user.
            if (!v.containsKey(required) && !(required == ServerSettings.SOURCE_USER && !connectionString.isEmpty())) {
                problems.add("source '" + name + "' needs " + required.key().replace("*", name));
            }
        }
        SourceKind kind =
                (SourceKind) v.getOrDefault(ServerSettings.SOURCE_KIND, ServerSettings.SOURCE_KIND.defaultValue());
        return new SourceConfig(
                name,
                kind,
                (String) v.getOrDefault(ServerSettings.SOURCE_HOST, ServerSettings.SOURCE_HOST.defaultValue()),
                (Integer) v.getOrDefault(ServerSettings.SOURCE_PORT, kind.defaultPort()),
                (String) v.get(ServerSettings.SOURCE_DATABASE),
                (String) v.get(ServerSettings.SOURCE_USER),
                (String) v.getOrDefault(ServerSettings.SOURCE_PASSWORD, ""),
                castList(v.getOrDefault(ServerSettings.SOURCE_TABLES, List.of())),
                (Integer) v.getOrDefault(ServerSettings.SOURCE_POOL, ServerSettings.SOURCE_POOL.defaultValue()),
                connectionString.isEmpty() ? null : connectionString);
    }

    @SuppressWarnings("unchecked")
    private static List<String> castList(Object o) {
        return (List<String>) o;
    }

    private static String defaultSource(
            Map<Setting<?>, Object> values, Map<String, SourceConfig> sources, List<String> problems) {
        String named = (String) values.get(ServerSettings.DEFAULT_SOURCE);
        if (named != null) {
            if (!sources.isEmpty() && !sources.containsKey(named)) {
                problems.add("'sources.default' = '" + named + "' names no configured source; configured: "
                        + sources.keySet());
            }
            return named;
        }
        if (sources.size() == 1) {
            return sources.keySet().iterator().next();
        }
        if (sources.size() > 1) {
            problems.add("several sources are configured " + sources.keySet() + "; set 'sources.default' to the one "
                    + "subscriptions and rules mean when they name none");
        }
        return null;
    }

    private void readFile(Path file, Map<String, Object> raw, Map<String, String> origin, List<String> problems) {
        if (!Files.isRegularFile(file)) {
            problems.add("configuration file " + file + " does not exist");
            return;
        }
        try (Reader reader = Files.newBufferedReader(file)) {
            Object doc = new Yaml(new SafeConstructor(new LoaderOptions())).load(reader);
            if (doc == null) {
                return;
            }
            if (!(doc instanceof Map<?, ?> map)) {
                problems.add(file + ": expected a mapping of settings at the top level");
                return;
            }
            flatten("", map, raw, origin, file.toString());
        } catch (YAMLException e) {
            problems.add(file + ": not valid YAML: " + e.getMessage());
        } catch (IOException e) {
            problems.add(file + ": cannot be read: " + e.getMessage());
        }
    }

    private static void flatten(
            String prefix, Map<?, ?> map, Map<String, Object> raw, Map<String, String> origin, String file) {
        map.forEach((k, v) -> {
            String key = prefix + k;
            if (v instanceof Map<?, ?> nested) {
                flatten(key + ".", nested, raw, origin, file);
            } else if (v != null) {
                raw.put(key, v);
                origin.put(key, file);
            }
        });
    }

    private void readEnvironment(Map<String, Object> raw, Map<String, String> origin, List<String> problems) {
        Map<String, String> variables = new HashMap<>();
        for (Setting<?> s : ServerSettings.ALL) {
            if (!s.key().contains("*")) {
                variables.put(s.environmentVariable(), s.key());
            }
        }
        environment.forEach((name, value) -> {
            if (!name.startsWith("UNDERCURRENT_")) {
                return;
            }
            String key = variables.get(name);
            if (key == null) {
                key = sourceKey(name);
            }
            if (key == null) {
                key = KafkaProperties.keyOf(name);
            }
            if (key == null) {
                // The value is not echoed: it may well be the secret the variable was meant to set.
                problems.add("environment variable " + name + " names no setting; "
                        + environmentSuggestion(name, variables));
                return;
            }
            raw.put(key, value);
            origin.put(key, "environment " + name);
        });
    }

    /** {@code UNDERCURRENT_SOURCES_APP_HOST} is {@code sources.app.host}. */
    private static String sourceKey(String variable) {
        String prefix = "UNDERCURRENT_SOURCES_";
        if (!variable.startsWith(prefix)) {
            return null;
        }
        String rest = variable.substring(prefix.length());
        for (Setting<?> template : ServerSettings.SOURCE_TEMPLATES) {
            String field = template.key().substring("sources.*.".length());
            String suffix = "_" + field.toUpperCase(java.util.Locale.ROOT).replace('-', '_');
            if (rest.endsWith(suffix) && rest.length() > suffix.length()) {
                String name = rest.substring(0, rest.length() - suffix.length()).toLowerCase(java.util.Locale.ROOT);
                return "sources." + name + "." + field;
            }
        }
        return null;
    }

    /** The closest declared variable, or how source variables are spelled; then what to do. */
    private static String environmentSuggestion(String name, Map<String, String> variables) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : new java.util.TreeSet<>(variables.keySet())) {
            int d = distance(name, candidate);
            if (d < bestDistance) {
                bestDistance = d;
                best = candidate;
            }
        }
        // A short name is close to many others (HOME is three edits from ROLE): allow fewer edits.
        int allowed = Math.min(3, Math.max(1, (name.length() - "UNDERCURRENT_".length()) / 4));
        if (bestDistance <= allowed) {
            return "did you mean " + best + " ('" + variables.get(best) + "')? Rename or unset it";
        }
        if (name.startsWith("UNDERCURRENT_SOURCES_")) {
            return "a source variable is UNDERCURRENT_SOURCES_<NAME>_<SETTING>, the setting one of "
                    + templateNames().toUpperCase(java.util.Locale.ROOT).replace('-', '_') + "; rename or unset it";
        }
        return "rename or unset it (server/CONFIG.md lists every setting)";
    }

    private static String templateNames() {
        List<String> names = new ArrayList<>();
        ServerSettings.SOURCE_TEMPLATES.forEach(t -> names.add(t.key().substring("sources.*.".length())));
        return String.join(", ", names);
    }

    private static String suggestion(String key) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (Setting<?> s : ServerSettings.ALL) {
            int d = distance(key, s.key());
            if (d < bestDistance) {
                bestDistance = d;
                best = s.key();
            }
        }
        return bestDistance <= 3 ? "; did you mean '" + best + "'?" : "; see server/CONFIG.md for every setting";
    }

    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
