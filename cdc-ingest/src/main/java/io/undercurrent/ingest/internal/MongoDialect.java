package io.undercurrent.ingest.internal;

import io.undercurrent.change.SourceOrder;
import io.undercurrent.ingest.SourceSettings;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * MongoDB through change streams (a replica set or sharded cluster is required). Updates carry the
 * full document after the change, and the document before it where the collection has
 * {@code changeStreamPreAndPostImages} enabled (MongoDB 6+); without it {@code before} is null.
 */
final class MongoDialect implements SourceDialect {

    private final SourceSettings source;
    private final ConnectorSettings properties;
    private final MongoDocuments documents = new MongoDocuments();

    MongoDialect(SourceSettings source) {
        this.source = source;
        Properties p = new Properties();
        p.setProperty("connector.class", "io.debezium.connector.mongodb.MongoDbConnector");
        p.setProperty("mongodb.connection.string", connectionString(source));
        p.setProperty("database.include.list", source.database());
        if (!source.tables().isEmpty()) {
            p.setProperty("collection.include.list", String.join(",", source.tables()));
        }
        p.setProperty("capture.mode", "change_streams_update_full_with_pre_image");
        p.setProperty("mongodb.connect.timeout.ms", "10000");
        p.setProperty("mongodb.server.selection.timeout.ms", "15000");
        this.properties = new ConnectorSettings(p, source);
    }

    private static String connectionString(SourceSettings source) {
        if (source.connectionString() != null) {
            return source.connectionString();
        }
        String credentials =
                source.user() == null || source.user().isEmpty() ? "" : source.user() + ":" + source.password() + "@";
        return "mongodb://" + credentials + source.host() + ":" + source.port() + "/";
    }

    @Override
    public Properties connectorProperties() {
        return properties.copy();
    }

    /** The connector validates the connection string and reaches the cluster itself; its failures are classified. */
    @Override
    public List<String> preflight() {
        return List.of();
    }

    @Override
    public String table(Struct source) {
        return source.getString("db") + "." + source.getString("collection");
    }

    /** {@code <lsid>:<txnNumber>} inside a multi-document transaction, else null. */
    @Override
    public String txId(Struct source) {
        String lsid = source.getString("lsid");
        Long txn = source.getInt64("txnNumber");
        return lsid == null || txn == null ? null : lsid + ":" + txn;
    }

    /** {@code resume:<token>}, the change stream's resume token; {@code ts:<seconds>:<order>} when there is none. */
    @Override
    public String position(SourceRecord record, Struct source) {
        Map<String, ?> offset = record.sourceOffset();
        Object token = offset == null ? null : offset.get("resume_token");
        if (token != null) {
            return "resume:" + token;
        }
        Object seconds = offset == null ? null : offset.get("sec");
        return "ts:" + (seconds != null ? seconds : source.getInt64("ts_ms") / 1000) + ":" + source.get("ord");
    }

    /**
     * The resume token's data: the change stream's own order (cluster time, then the operation's index in
     * its transaction), identical when a restart resumes from an earlier token. Changes without a token
     * have no order.
     */
    @Override
    public String sourceOrder(SourceRecord record, Struct source) {
        Map<String, ?> offset = record.sourceOffset();
        Object token = offset == null ? null : offset.get("resume_token");
        return token == null ? null : SourceOrder.mongo(token.toString());
    }

    @Override
    public Map<String, Object> document(Object raw) {
        return documents.document((String) raw);
    }

    @Override
    public Map<String, Object> key(SourceRecord record) {
        if (record.key() instanceof Struct key && key.schema().field("id") != null) {
            return documents.key(key.getString("id"));
        }
        return null;
    }
}
