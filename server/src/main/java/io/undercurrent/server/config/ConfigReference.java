package io.undercurrent.server.config;

import io.undercurrent.settings.Setting;

/** The configuration reference, generated from {@link ServerSettings}; server/CONFIG.md is this text. */
public final class ConfigReference {

    private ConfigReference() {}

    public static String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("# Configuration reference\n\n");
        md.append(
                "Generated from `ServerSettings` (`undercurrent config` prints it; a test keeps this file in step).\n\n");
        md.append(
                        "Settings come from one YAML file (`--config FILE`; nested keys, `kafka:` then `bootstrap-servers:`), ")
                .append(
                        "overridden by environment variables. An unknown key in the file or an unknown `UNDERCURRENT_*` variable ")
                .append("stops start-up, naming the closest setting; so does a bad value, ")
                .append(
                        "and every problem is reported at once. Source settings exist once per source: `sources.<name>.host`, ")
                .append("environment `UNDERCURRENT_SOURCES_<NAME>_HOST`.\n\n");
        md.append("| key | environment | type | default | meaning |\n|---|---|---|---|---|\n");
        for (Setting<?> s : ServerSettings.ALL) {
            String env = s == ServerSettings.KAFKA_PROPERTIES
                    ? KafkaProperties.ENVIRONMENT_PREFIX + "<PROPERTY>"
                    : s.key().contains("*")
                            ? "UNDERCURRENT_SOURCES_<NAME>_"
                                    + s.key()
                                            .substring("sources.*.".length())
                                            .toUpperCase(java.util.Locale.ROOT)
                                            .replace('-', '_')
                            : s.environmentVariable();
            Object def = s.defaultValue();
            String shown = def == null
                    ? ""
                    : s.isSecret() && !"".equals(def)
                            ? "****"
                            : String.valueOf(def).toLowerCase(java.util.Locale.ROOT);
            if (def instanceof java.time.Duration d) {
                shown = d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
            } else if (def instanceof String str) {
                shown = str;
            }
            md.append("| `")
                    .append(s.key().replace("*", s == ServerSettings.KAFKA_PROPERTIES ? "<property>" : "<name>"))
                    .append("` | `")
                    .append(env)
                    .append("` | ")
                    .append(s.type())
                    .append(" | ")
                    .append(shown.isEmpty() ? "" : "`" + shown + "`")
                    .append(" | ")
                    .append(s.doc())
                    .append(" |\n");
        }
        return md.toString();
    }
}
