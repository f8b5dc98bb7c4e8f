package io.undercurrent.ingest.internal;

import io.undercurrent.ingest.SourceSettings;
import java.util.Properties;
import org.apache.kafka.connect.data.Struct;

/** Postgres through logical replication with {@code pgoutput}, the plugin built into Postgres 10+. */
final class PostgresDialect implements SourceDialect {

    private final Properties properties;

    PostgresDialect(SourceSettings source) {
        Properties p = new Properties();
        p.setProperty("connector.class", "io.debezium.connector.postgresql.PostgresConnector");
        p.setProperty("database.hostname", source.host());
        p.setProperty("database.port", Integer.toString(source.port()));
        p.setProperty("database.dbname", source.database());
        p.setProperty("database.user", source.user());
        p.setProperty("database.password", source.password());
        p.setProperty("plugin.name", "pgoutput");
        p.setProperty("slot.name", source.replicationName());
        p.setProperty("publication.name", source.replicationName());
        if (source.tables().isEmpty()) {
            p.setProperty("publication.autocreate.mode", "all_tables");
        } else {
            p.setProperty("publication.autocreate.mode", "filtered");
            p.setProperty("table.include.list", String.join(",", source.tables()));
        }
        // Subscribers read their initial result from the database itself, stitched to the stream by
        // transaction id, so ingest never copies existing rows into Kafka.
        p.setProperty("snapshot.mode", "no_data");
        p.setProperty("decimal.handling.mode", "precise");
        p.setProperty("time.precision.mode", "adaptive_time_microseconds");
        p.setProperty("interval.handling.mode", "string");
        p.setProperty("binary.handling.mode", "bytes");
        p.setProperty("hstore.handling.mode", "map");
        p.setProperty("tombstones.on.delete", "false");
        p.setProperty("slot.drop.on.stop", "false");
        p.putAll(source.options());
        this.properties = p;
    }

    @Override
    public Properties connectorProperties() {
        Properties copy = new Properties();
        copy.putAll(properties);
        return copy;
    }

    @Override
    public String table(Struct source) {
        return source.getString("schema") + "." + source.getString("table");
    }

    @Override
    public String txId(Struct source) {
        Long txId = source.getInt64("txId");
        return txId == null ? null : Long.toString(txId);
    }

    @Override
    public String position(Struct source) {
        Long lsn = source.getInt64("lsn");
        return lsn == null ? null : "lsn:" + lsn;
    }
}
