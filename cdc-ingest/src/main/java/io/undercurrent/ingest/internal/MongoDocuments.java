package io.undercurrent.ingest.internal;

import io.undercurrent.change.value.CanonicalForms;
import io.undercurrent.change.value.CanonicalTemporal;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.bson.BsonArray;
import org.bson.BsonBinary;
import org.bson.BsonBinarySubType;
import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.bson.UuidRepresentation;

/**
 * Turns MongoDB documents, as Debezium sends them (extended JSON text), into canonical values: the
 * same forms SQL rows use, so filters and rules work alike on every database.
 *
 * <p>ObjectId becomes its 24-digit hex string; Date a UTC timestamp string with microseconds; int32
 * and int64 a {@code Long}; decimal128 an exact {@code BigDecimal}; a nested document a map; an array
 * a list; binary data base64 (a UUID subtype the UUID's text); a BSON timestamp its seconds since the
 * epoch. Thread-safe.
 */
final class MongoDocuments {

    /** Parses one document; null text gives null. */
    Map<String, Object> document(String json) {
        if (json == null) {
            return null;
        }
        return document(BsonDocument.parse(json));
    }

    /** The document's {@code _id} from the key Debezium sends: the id's own extended-JSON text. */
    Map<String, Object> key(String idJson) {
        Map<String, Object> key = new LinkedHashMap<>();
        key.put("_id", value(BsonDocument.parse("{\"_id\": " + idJson + "}").get("_id")));
        return key;
    }

    Map<String, Object> document(BsonDocument doc) {
        Map<String, Object> out = new LinkedHashMap<>();
        doc.forEach((name, v) -> out.put(name, value(v)));
        return out;
    }

    Object value(BsonValue v) {
        switch (v.getBsonType()) {
            case NULL, UNDEFINED:
                return null;
            case OBJECT_ID:
                return v.asObjectId().getValue().toHexString();
            case STRING:
                return v.asString().getValue();
            case SYMBOL:
                return v.asSymbol().getSymbol();
            case BOOLEAN:
                return v.asBoolean().getValue();
            case INT32:
                return (long) v.asInt32().getValue();
            case INT64:
                return v.asInt64().getValue();
            case DOUBLE:
                return CanonicalForms.float64(v.asDouble().getValue());
            case DECIMAL128:
                return decimal(v);
            case DATE_TIME: {
                long millis = v.asDateTime().getValue();
                return CanonicalTemporal.formatTimestamptz(CanonicalTemporal.fromUnix(
                        Math.floorDiv(millis, 1_000L), (int) Math.floorMod(millis, 1_000L) * 1_000_000));
            }
            case TIMESTAMP:
                return (long) v.asTimestamp().getTime();
            case DOCUMENT:
                return document(v.asDocument());
            case ARRAY:
                return array(v.asArray());
            case BINARY:
                return binary(v.asBinary());
            case REGULAR_EXPRESSION:
                return v.asRegularExpression().getPattern();
            case JAVASCRIPT:
                return v.asJavaScript().getCode();
            default:
                // MinKey, MaxKey, DBPointer, JavaScript with scope: kept as their extended JSON.
                return new BsonDocument("v", v)
                        .toJson()
                        .replaceFirst("^\\{\\s*\"v\"\\s*:\\s*", "")
                        .replaceFirst("\\s*}$", "");
        }
    }

    private static Object decimal(BsonValue v) {
        var d = v.asDecimal128().getValue();
        if (d.isNaN()) {
            return "NaN";
        }
        if (d.isInfinite()) {
            return d.isNegative() ? "-Infinity" : "Infinity";
        }
        return new BigDecimal(d.bigDecimalValue().toString());
    }

    private List<Object> array(BsonArray array) {
        List<Object> out = new ArrayList<>(array.size());
        for (BsonValue element : array) {
            out.add(value(element));
        }
        return out;
    }

    private static String binary(BsonBinary binary) {
        byte subtype = binary.getType();
        if (subtype == BsonBinarySubType.UUID_STANDARD.getValue()) {
            return binary.asUuid(UuidRepresentation.STANDARD).toString();
        }
        if (subtype == BsonBinarySubType.UUID_LEGACY.getValue()) {
            UUID uuid = binary.asUuid(UuidRepresentation.JAVA_LEGACY);
            return uuid.toString();
        }
        return CanonicalForms.bytes(binary.getData());
    }
}
