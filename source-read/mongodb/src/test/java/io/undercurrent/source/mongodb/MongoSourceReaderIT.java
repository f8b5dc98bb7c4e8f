package io.undercurrent.source.mongodb;

import com.mongodb.client.MongoChangeStreamCursor;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.CreateCollectionOptions;
import com.mongodb.client.model.ValidationOptions;
import com.mongodb.client.model.changestream.ChangeStreamDocument;
import io.undercurrent.change.ChangeStamp;
import io.undercurrent.change.SourceOrder;
import io.undercurrent.source.SourceReader;
import io.undercurrent.source.SourceReaderContract;
import org.bson.BsonDocument;
import org.bson.BsonInt64;
import org.bson.BsonString;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.testcontainers.containers.MongoDBContainer;

/**
 * The MongoDB reader against a real MongoDB 7 replica set (single node, in a container): the seam's
 * contract, with each write's stamp taken from a real change stream event as ingest would publish it
 * ({@code sourceOrder} from the resume token), so the cluster-time stitching is checked against the
 * server's own tokens. Skipped with a message where no Docker engine runs.
 */
class MongoSourceReaderIT extends SourceReaderContract {

    private static MongoDBContainer mongo;
    private static MongoClient client;
    private static MongoSourceReader reader;

    @BeforeAll
    static void start() {
        Docker.assumeAvailable("MongoSourceReaderIT");
        mongo = new MongoDBContainer("mongo:7.0");
        mongo.start();
        client = MongoClients.create(mongo.getReplicaSetUrl("shop"));
        reader = new MongoSourceReader(new MongoReaderSettings("mongo", mongo.getReplicaSetUrl("shop"), "shop"));
    }

    @AfterAll
    static void stop() {
        if (reader != null) {
            reader.close();
        }
        if (client != null) {
            client.close();
        }
        if (mongo != null) {
            mongo.stop();
        }
    }

    @BeforeEach
    void emptyCollection() {
        MongoDatabase shop = client.getDatabase("shop");
        shop.getCollection("owned").drop();
        shop.createCollection(
                "owned",
                new CreateCollectionOptions()
                        .validationOptions(new ValidationOptions().validator(BsonDocument.parse("""
                                        {"$jsonSchema": {"bsonType": "object", "properties": {
                                          "_id": {"bsonType": "long"},
                                          "owner": {"bsonType": "string"},
                                          "n": {"bsonType": "long"}}}}"""))));
    }

    private static MongoCollection<BsonDocument> owned() {
        return client.getDatabase("shop").getCollection("owned", BsonDocument.class);
    }

    @Override
    protected SourceReader reader() {
        return reader;
    }

    @Override
    protected String key() {
        return "_id";
    }

    @Override
    protected String table() {
        return "shop.owned";
    }

    @Override
    protected ChangeStamp insert(int id, String owner, int n) {
        try (MongoChangeStreamCursor<ChangeStreamDocument<BsonDocument>> changes =
                owned().watch().cursor()) {
            owned().insertOne(document(id, owner, n));
            return stamp(changes.next());
        }
    }

    @Override
    protected ChangeStamp insertCommittedAfter(int id, String owner, int n, Runnable whileOpen) {
        try (MongoChangeStreamCursor<ChangeStreamDocument<BsonDocument>> changes =
                        owned().watch().cursor();
                var session = client.startSession()) {
            session.startTransaction();
            owned().insertOne(session, document(id, owner, n));
            whileOpen.run();
            session.commitTransaction();
            return stamp(changes.next());
        }
    }

    private static BsonDocument document(int id, String owner, int n) {
        return new BsonDocument("_id", new BsonInt64(id))
                .append("owner", new BsonString(owner))
                .append("n", new BsonInt64(n));
    }

    /** What ingest publishes for the event: the resume token as position and source order. */
    private static ChangeStamp stamp(ChangeStreamDocument<BsonDocument> event) {
        String data = event.getResumeToken().getString("_data").getValue();
        return new ChangeStamp(null, "resume:" + data, SourceOrder.mongo(data));
    }
}
