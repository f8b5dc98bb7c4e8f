package io.undercurrent.ingest.internal;

import io.undercurrent.change.SourceOrder;
import io.undercurrent.ingest.IngestSettings;
import io.undercurrent.ingest.SourceKind;
import io.undercurrent.ingest.SourceSettings;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * MySQL and MariaDB through the binlog (ROW format, FULL row image). The two differ only in the
 * Debezium connector (Debezium's MySQL connector refuses MariaDB) and the JDBC driver of the checks.
 *
 * <p>The binlog carries rows, not their column names: Debezium keeps the table definitions it has
 * seen in a schema history, stored in Kafka ({@link io.undercurrent.change.Topics#schemaHistory}) so
 * that any process that runs this source next can read the binlog from where the last one stopped.
 */
final class BinlogDialect implements SourceDialect {

    private final SourceSettings source;
    private final ConnectorSettings properties;

    BinlogDialect(SourceSettings source, IngestSettings settings) {
        this.source = source;
        Properties p = new Properties();
        p.setProperty(
                "connector.class",
                source.kind() == SourceKind.MARIADB
                        ? "io.debezium.connector.mariadb.MariaDbConnector"
                        : "io.debezium.connector.mysql.MySqlConnector");
        p.setProperty("database.hostname", source.host());
        p.setProperty("database.port", Integer.toString(source.port()));
        p.setProperty("database.user", source.user());
        p.setProperty("database.password", source.password());
        // Ingest joins the server as a replica; the id must differ from every other replica's.
        p.setProperty("database.server.id", Long.toString(serverId(source.name())));
        p.setProperty("database.include.list", source.database());
        if (!source.tables().isEmpty()) {
            p.setProperty("table.include.list", String.join(",", source.tables()));
        }
        // As for Postgres: subscribers read initial results from the database, so only the table
        // definitions are read at first start, then the binlog from the current position.
        p.setProperty("schema.history.internal", "io.debezium.storage.kafka.history.KafkaSchemaHistory");
        p.setProperty("schema.history.internal.kafka.topic", settings.topics().schemaHistory(source.name()));
        p.setProperty("schema.history.internal.kafka.bootstrap.servers", settings.bootstrapServers());
        settings.kafkaOverrides().forEach((k, v) -> {
            p.setProperty("schema.history.internal.producer." + k, v);
            p.setProperty("schema.history.internal.consumer." + k, v);
        });
        p.setProperty("include.schema.changes", "false");
        p.setProperty("decimal.handling.mode", "precise");
        p.setProperty("bigint.unsigned.handling.mode", "precise");
        p.setProperty("time.precision.mode", "adaptive_time_microseconds");
        p.setProperty("binary.handling.mode", "bytes");
        // BOOLEAN is TINYINT(1) in these databases; the JDBC drivers read it as a boolean, and so must we.
        p.setProperty("converters", "boolean");
        p.setProperty("boolean.type", "io.debezium.connector.binlog.converters.TinyIntOneToBooleanConverter");
        p.setProperty("connect.timeout.ms", "10000");
        // A database restart ends the binlog connection without an error; the client's keep-alive
        // thread notices and reconnects at its own position. Its default (60 s) would stall capture
        // for up to a minute after every restart.
        p.setProperty("connect.keep.alive.interval.ms", "3000");
        this.properties = new ConnectorSettings(p, source);
    }

    static long serverId(String sourceName) {
        return 100_000L + Math.floorMod(sourceName.hashCode(), 1_000_000_000);
    }

    @Override
    public Properties connectorProperties() {
        return properties.copy();
    }

    @Override
    public List<String> preflight() {
        return new BinlogChecks(source).run();
    }

    @Override
    public String table(Struct source) {
        return source.getString("db") + "." + source.getString("table");
    }

    @Override
    public String txId(Struct source) {
        return source.schema().field("gtid") == null ? null : source.getString("gtid");
    }

    /**
     * Debezium's resume coordinates of the change (its record's source offset): binlog file, the
     * position where the change's transaction starts, the events of the transaction before the change's
     * event ({@code event}) and the rows of that event up to the change's ({@code row}). The binlog holds
     * transactions whole and in commit order, so these grow with every change; a restart resumes at the
     * start of a transaction and skips what it had handled, so a replayed change has the same ones. The
     * source block's own {@code pos} will not do: it stays the same for several changes of a transaction.
     */
    @Override
    public String sourceOrder(SourceRecord record, Struct source) {
        Map<String, ?> offset = record.sourceOffset();
        Object file = offset == null ? null : offset.get("file");
        Object pos = offset == null ? null : offset.get("pos");
        int dot = file == null ? -1 : file.toString().lastIndexOf('.');
        if (!(pos instanceof Number position) || dot < 0) {
            return null;
        }
        try {
            return SourceOrder.binlog(
                    Long.parseLong(file.toString().substring(dot + 1)),
                    position.longValue(),
                    count(offset.get("event")),
                    count(offset.get("row")));
        } catch (NumberFormatException e) {
            return null; // a binlog file name without an index: no order can be given
        }
    }

    /** A skip count of the offset; Debezium leaves out the ones that are zero. */
    private static long count(Object value) {
        return value instanceof Number n ? n.longValue() : 0;
    }

    /** {@code binlog:<file>:<pos>:<row>}, plus {@code ;gtid:<gtid>} when the server assigns GTIDs. */
    @Override
    public String position(SourceRecord record, Struct source) {
        Object row = source.get("row");
        String position =
                "binlog:" + source.getString("file") + ":" + source.getInt64("pos") + ":" + (row == null ? 0 : row);
        String gtid = txId(source);
        return gtid == null ? position : position + ";gtid:" + gtid;
    }
}
