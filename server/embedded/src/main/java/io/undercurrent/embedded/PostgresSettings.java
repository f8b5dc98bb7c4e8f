package io.undercurrent.embedded;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;

/** The server settings of {@link LocalPostgres}: what change data capture needs, then the caller's. */
final class PostgresSettings {

    private PostgresSettings() {}

    /** Settings every LocalPostgres runs with unless the caller overrides them. */
    static Map<String, String> defaults() {
        Map<String, String> settings = new LinkedHashMap<>();
        // Debezium reads the change log through a logical replication slot.
        settings.put("wal_level", "logical");
        settings.put("max_wal_senders", "10");
        settings.put("max_replication_slots", "10");
        // The bundled server turns this off to speed up tests. With it off, a change becomes
        // visible to logical decoding only when the WAL writer flushes, 200-400 ms later, so
        // every change event would wait that long.
        settings.put("synchronous_commit", "on");
        return settings;
    }

    /**
     * Defaults merged with {@code extra} (which wins).
     *
     * @throws EmbeddedException if a value holds whitespace: settings travel on the server's
     *     command line, where a space would split one setting into two
     */
    static Map<String, String> merge(Map<String, String> extra) {
        TreeSet<String> bad = new TreeSet<>();
        extra.forEach((key, value) -> {
            if (key.isBlank()
                    || key.chars().anyMatch(Character::isWhitespace)
                    || value.chars().anyMatch(Character::isWhitespace)) {
                bad.add(key + "=" + value);
            }
        });
        if (!bad.isEmpty()) {
            throw new EmbeddedException("PostgreSQL: server settings must not contain whitespace: " + bad
                    + "; fix them in LocalPostgres.Options.withServerSetting");
        }
        Map<String, String> settings = defaults();
        settings.putAll(extra);
        return settings;
    }
}
