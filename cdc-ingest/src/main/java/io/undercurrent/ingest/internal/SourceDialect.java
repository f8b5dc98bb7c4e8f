package io.undercurrent.ingest.internal;

import java.util.Properties;
import org.apache.kafka.connect.data.Struct;

/**
 * What differs between source databases once Debezium has read a change: the connector settings and
 * how the envelope's {@code source} block names the table, the transaction and the commit position.
 * Everything else (mapping, publishing, offsets, retries) is shared.
 */
interface SourceDialect {

    /** Debezium connector properties for this source, without the engine and offset-store settings. */
    Properties connectorProperties();

    /** The qualified table or collection name, e.g. {@code public.todos}. */
    String table(Struct source);

    /** The transaction id as the contract documents it for this database, or null. */
    String txId(Struct source);

    /** The opaque commit position. */
    String position(Struct source);
}
