package io.undercurrent.ingest.internal;

import io.undercurrent.change.SourceOrder;
import io.undercurrent.ingest.SourceSettings;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * Postgres through logical replication with {@code pgoutput}, the plugin built into Postgres 10+.
 *
 * <p>Without a listed set of tables the publication is {@code FOR ALL TABLES} (creating it needs a
 * superuser); with one it is {@code filtered}: ingest creates or extends it for exactly those tables
 * (needs ownership of them), or uses one a DBA created (see the module README).
 */
final class PostgresDialect implements SourceDialect {

    /**
     * Writes a logical message into the captured database's WAL at every heartbeat. The slot can only
     * advance past WAL that ingest has confirmed, and ingest confirms positions of records it handled;
     * when the captured tables are idle but other databases or tables write, no record arrives and the
     * server would keep that WAL forever. The message is such a record, needs no table and no write
     * privilege, and is not published.
     */
    static final String HEARTBEAT_QUERY =
            "SELECT pg_logical_emit_message(false, 'undercurrent_heartbeat', now()::text)";

    private final SourceSettings source;
    private final ConnectorSettings properties;

    PostgresDialect(SourceSettings source) {
        this.source = source;
        Properties p = new Properties();
        // Debezium's connector with a task that hands each change over as soon as it is queued.
        p.setProperty("connector.class", PostgresCaptureConnector.class.getName());
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
        p.setProperty("decimal.handling.mode", "precise");
        p.setProperty("time.precision.mode", "adaptive_time_microseconds");
        p.setProperty("interval.handling.mode", "string");
        p.setProperty("binary.handling.mode", "bytes");
        p.setProperty("hstore.handling.mode", "map");
        p.setProperty("slot.drop.on.stop", "false");
        p.setProperty("heartbeat.action.query", HEARTBEAT_QUERY);
        this.properties = new ConnectorSettings(p, source);
    }

    @Override
    public Properties connectorProperties() {
        return properties.copy();
    }

    @Override
    public Watermarks watermarks(java.time.Duration interval) {
        return interval.isZero() ? Watermarks.NONE : new PostgresWatermarks(source, interval);
    }

    @Override
    public boolean handsOverAtOnce() {
        return true;
    }

    @Override
    public List<String> preflight() {
        return new PostgresChecks(source).run();
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

    /**
     * Debezium names a Postgres transaction {@code <xid>:<lsn>} with the LSN of the event at hand, so
     * the name differs between changes of one transaction; the xid alone is the transaction.
     */
    @Override
    public String transactionId(String debeziumId) {
        int colon = debeziumId.indexOf(':');
        return colon < 0 ? debeziumId : debeziumId.substring(0, colon);
    }

    @Override
    public String position(SourceRecord record, Struct source) {
        Long lsn = source.getInt64("lsn");
        return lsn == null ? null : "lsn:" + lsn;
    }

    /**
     * From Debezium's {@code sequence}, {@code ["<last commit lsn>","<lsn>"]}. The change's own LSN alone
     * would not do: logical decoding sends transactions in commit order, and a transaction that
     * started earlier but committed later has lower change LSNs than the one sent before it. The LSN of
     * the last commit sent before the change's transaction grows from one transaction to the next, and
     * a restart from a committed offset decodes the same transactions after the same commits again.
     */
    @Override
    public String sourceOrder(SourceRecord record, Struct source) {
        if (source.schema().field("sequence") == null) {
            return null;
        }
        long[] sequence = PostgresSequence.parse(source.getString("sequence"));
        return sequence == null ? null : SourceOrder.postgres(sequence[0], sequence[1]);
    }
}
