package io.undercurrent.ingest.internal;

import io.undercurrent.change.value.CanonicalBson;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bson.BsonDocument;

/**
 * Turns MongoDB documents, as Debezium sends them (extended JSON text), into canonical values: the
 * same forms SQL rows use, so filters and rules work alike on every database. The walk over the BSON
 * values is the change contract's ({@link CanonicalBson}), the one the MongoDB snapshot reader uses
 * too; this class only parses what Debezium sends. Thread-safe.
 */
final class MongoDocuments {

    /** Parses one document; null text gives null. */
    Map<String, Object> document(String json) {
        if (json == null) {
            return null;
        }
        return CanonicalBson.document(BsonDocument.parse(json));
    }

    /** The document's {@code _id} from the key Debezium sends: the id's own extended-JSON text. */
    Map<String, Object> key(String idJson) {
        Map<String, Object> key = new LinkedHashMap<>();
        key.put(
                "_id",
                CanonicalBson.value(
                        BsonDocument.parse("{\"_id\": " + idJson + "}").get("_id")));
        return key;
    }
}
