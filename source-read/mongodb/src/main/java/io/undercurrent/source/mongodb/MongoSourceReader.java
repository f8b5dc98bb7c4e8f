package io.undercurrent.source.mongodb;

import com.mongodb.ClientSessionOptions;
import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.MongoCommandException;
import com.mongodb.MongoException;
import com.mongodb.client.ClientSession;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCursor;
import com.mongodb.client.model.Collation;
import io.undercurrent.change.value.CanonicalBson;
import io.undercurrent.query.LiveQuery;
import io.undercurrent.query.TableSchema;
import io.undercurrent.source.ReadRequest;
import io.undercurrent.source.ReadResult;
import io.undercurrent.source.ResultTooLargeException;
import io.undercurrent.source.RowGate;
import io.undercurrent.source.SourceReadException;
import io.undercurrent.source.SourceReader;
import io.undercurrent.source.SourceUnavailableException;
import io.undercurrent.source.UnknownTableException;
import io.undercurrent.source.mongodb.internal.ClusterTimePoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.bson.BsonDocument;
import org.bson.BsonTimestamp;
import org.bson.BsonValue;

/**
 * Reads live queries from one MongoDB source (a replica set or sharded cluster, MongoDB 5.0+): each
 * read runs in a snapshot session ({@code readConcern: "snapshot"}), whose cluster time the server
 * fixes with the first batch and reports back ({@code atClusterTime}); that time is the read's
 * {@link ClusterTimePoint}. The pipeline ({@link MongoPipeline}) matches the translated filter and
 * sorts in the language's order; documents come back whole, since the caller's gate may judge fields
 * the client did not ask for, and {@code limit} counts admitted rows only, so the read stops once
 * enough rows were admitted. Thread-safe.
 */
public final class MongoSourceReader implements SourceReader {

    /** The code of MongoDB's NamespaceNotFound. */
    private static final int NAMESPACE_NOT_FOUND = 26;

    private final MongoReaderSettings settings;
    private final MongoClient client;

    /** Opens the client; it connects lazily, so a cluster that is down does not stop the caller. */
    public MongoSourceReader(MongoReaderSettings settings) {
        this.settings = settings;
        long timeout = settings.connectTimeout().toMillis();
        this.client = MongoClients.create(MongoClientSettings.builder()
                .applyConnectionString(new ConnectionString(settings.connectionString()))
                .applyToClusterSettings(c -> c.serverSelectionTimeout(timeout, TimeUnit.MILLISECONDS))
                .applyToSocketSettings(s -> s.connectTimeout((int) timeout, TimeUnit.MILLISECONDS))
                .applicationName("undercurrent-reader-" + settings.source())
                .build());
    }

    @Override
    public String source() {
        return settings.source();
    }

    /** Without a database, the source's database is meant, as ingest names its collections. */
    @Override
    public String qualify(String table) {
        return table.indexOf('.') > 0 ? table : settings.database() + "." + table;
    }

    @Override
    public TableSchema schema(String table) throws SourceReadException {
        String qualified = qualify(table);
        int dot = qualified.indexOf('.');
        String collection = qualified.substring(dot + 1);
        try {
            BsonDocument info = client.getDatabase(qualified.substring(0, dot))
                    .listCollections(BsonDocument.class)
                    .filter(new BsonDocument("name", new org.bson.BsonString(collection)))
                    .first();
            if (info == null
                    || !"collection"
                            .equals(info.getString("type", new org.bson.BsonString("collection"))
                                    .getValue())) {
                throw new UnknownTableException(source(), table);
            }
            BsonValue validator =
                    info.getDocument("options", new BsonDocument()).get("validator");
            return MongoSchemas.fromValidator(
                    source(), qualified, validator != null && validator.isDocument() ? validator.asDocument() : null);
        } catch (MongoException e) {
            throw new SourceUnavailableException(
                    "cannot read the schema of " + qualified + " from source \"" + source() + "\": " + e.getMessage(),
                    e);
        }
    }

    @Override
    public ReadResult read(ReadRequest request, RowGate gate) throws SourceReadException {
        LiveQuery query = request.query();
        String qualified = qualify(query.table());
        int dot = qualified.indexOf('.');
        List<BsonDocument> pipeline = MongoPipeline.of(query, request.filter(), request.schema());
        int limit = query.limit() == null ? Integer.MAX_VALUE : query.limit();
        try (ClientSession session = client.startSession(
                ClientSessionOptions.builder().snapshot(true).build())) {
            try (MongoCursor<BsonDocument> cursor = client.getDatabase(qualified.substring(0, dot))
                    .getCollection(qualified.substring(dot + 1), BsonDocument.class)
                    .aggregate(session, pipeline)
                    .collation(Collation.builder().locale("simple").build())
                    .batchSize(settings.batchSize())
                    .cursor()) {
                // The first batch came back with the snapshot's cluster time.
                ClusterTimePoint point = point(session, qualified);
                List<Map<String, Object>> rows = new ArrayList<>();
                while (rows.size() < limit && cursor.hasNext()) {
                    Map<String, Object> admitted = gate.admit(CanonicalBson.document(cursor.next()));
                    if (admitted != null) {
                        if (rows.size() >= request.maxRows()) {
                            throw new ResultTooLargeException(request.maxRows());
                        }
                        rows.add(admitted);
                    }
                }
                return new ReadResult(rows, point);
            }
        } catch (MongoCommandException e) {
            if (e.getErrorCode() == NAMESPACE_NOT_FOUND) {
                throw new UnknownTableException(source(), query.table());
            }
            throw unavailable(qualified, e);
        } catch (MongoException e) {
            throw unavailable(qualified, e);
        }
    }

    private ClusterTimePoint point(ClientSession session, String table) throws SourceUnavailableException {
        BsonTimestamp at = session.getSnapshotTimestamp();
        if (at == null) {
            throw new SourceUnavailableException(
                    "reading " + table + " from source \"" + source() + "\": the server did not report the snapshot's"
                            + " cluster time; snapshot reads need a replica set or sharded cluster of MongoDB 5.0+",
                    null);
        }
        return new ClusterTimePoint(at.getValue());
    }

    private SourceUnavailableException unavailable(String table, MongoException e) {
        return new SourceUnavailableException(
                "reading " + table + " from source \"" + source() + "\" failed: " + e.getMessage()
                        + " (snapshot reads need a replica set or sharded cluster of MongoDB 5.0+)",
                e);
    }

    /** Closes the client; reads in progress fail. */
    @Override
    public void close() {
        client.close();
    }
}
