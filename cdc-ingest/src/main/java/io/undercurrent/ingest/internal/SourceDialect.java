package io.undercurrent.ingest.internal;

import java.util.Map;
import java.util.Properties;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * What differs between source databases: the connector settings, the checks made before capture
 * starts, and how the envelope's {@code source} block names the table, the transaction and the
 * position. Everything else (mapping, publishing, offsets, retries) is shared.
 */
interface SourceDialect {

    /** The dialect of a source's kind. */
    static SourceDialect of(
            io.undercurrent.ingest.SourceSettings source, io.undercurrent.ingest.IngestSettings settings) {
        return switch (source.kind()) {
            case POSTGRES -> new PostgresDialect(source);
            case MYSQL, MARIADB -> new BinlogDialect(source, settings);
            case MONGODB -> new MongoDialect(source);
        };
    }

    /** Debezium connector properties for this source, without the engine and offset-store settings. */
    Properties connectorProperties();

    /**
     * Whether the connector's task polls Debezium's queue through a {@link Handover}, which needs the
     * engine's {@code max.batch.size} at one (see {@link EngineProperties}).
     */
    default boolean handsOverAtOnce() {
        return false;
    }

    /**
     * Checks that the database is reachable and set up for capture, before the engine starts.
     *
     * @return warnings worth telling the user at every start (never null)
     * @throws io.undercurrent.ingest.SourceException listing every problem found, when capture cannot work
     */
    java.util.List<String> preflight();

    /** The qualified table or collection name, e.g. {@code public.todos}. */
    String table(Struct source);

    /** The transaction id as the contract documents it for this database, or null. */
    String txId(Struct source);

    /** The opaque position of the change, in the form the change API README documents. */
    String position(SourceRecord record, Struct source);

    /**
     * The change's place in the source's log as a {@link io.undercurrent.change.SourceOrder}: grows, as a
     * string, in the order the source delivers changes, and is the same when a change is delivered again
     * after a restart. Null when the record does not tell (the change then cannot be deduplicated).
     */
    String sourceOrder(SourceRecord record, Struct source);

    /**
     * The transaction id of Debezium's transaction metadata as the contract documents it; the same for
     * every change of a transaction and its end marker.
     */
    default String transactionId(String debeziumId) {
        return debeziumId;
    }

    /**
     * A row image that is not a Connect struct (MongoDB sends documents as extended JSON text), or null
     * when the database never sends such images.
     */
    default Map<String, Object> document(Object raw) {
        throw new IllegalStateException(
                "unexpected row image of type " + raw.getClass().getName());
    }

    /**
     * What writes watermarks into this source's log every {@code interval}; {@link Watermarks#NONE} for
     * sources that have none yet (their readers fall back to a grace period).
     */
    default Watermarks watermarks(java.time.Duration interval) {
        return Watermarks.NONE;
    }

    /** The key of a record whose key is not a plain struct of key columns; null means "use the struct". */
    default Map<String, Object> key(SourceRecord record) {
        return null;
    }
}
