package io.undercurrent.ingest.internal;

import io.undercurrent.ingest.SourceSettings;
import java.util.Properties;

/**
 * A dialect's Debezium connector settings: the dialect's own, the few every source shares, and the
 * user's {@code options} last so they can override anything. Immutable; hands out copies.
 */
final class ConnectorSettings {

    /** How often every source writes a heartbeat, so an idle source's committed position keeps moving. */
    static final String HEARTBEAT_INTERVAL_MS = "10000";

    private final Properties properties;

    ConnectorSettings(Properties own, SourceSettings source) {
        Properties p = new Properties();
        p.putAll(own);
        // Subscribers read their initial result from the database itself, and a delete is a change
        // event of its own: no copy of existing rows into Kafka, no tombstone records.
        p.putIfAbsent("snapshot.mode", "no_data");
        p.setProperty("tombstones.on.delete", "false");
        // Keeps the committed position moving while captured tables are idle, so the database can
        // release its log (Postgres WAL, binlog, oplog) and a restart resumes inside it.
        p.setProperty("heartbeat.interval.ms", HEARTBEAT_INTERVAL_MS);
        p.putAll(source.options());
        this.properties = p;
    }

    Properties copy() {
        Properties copy = new Properties();
        copy.putAll(properties);
        return copy;
    }
}
