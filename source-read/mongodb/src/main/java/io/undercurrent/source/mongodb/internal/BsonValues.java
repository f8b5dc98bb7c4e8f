package io.undercurrent.source.mongodb.internal;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.bson.BsonArray;
import org.bson.BsonBinary;
import org.bson.BsonBinarySubType;
import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.bson.UuidRepresentation;

/**
 * BSON values as canonical values, exactly as ingest turns the documents of MongoDB change events
 * into them (cdc-ingest's {@code MongoDocuments}; the type table of cdc-ingest's README), so a
 * snapshot row equals the change row of the same document: ObjectId the 24-digit lower-case hex
 * string; Date a UTC timestamp string with microseconds; int32 and int64 a {@code Long}; double a
 * {@code Double} (NaN and the infinities as strings); decimal128 an exact {@code BigDecimal}; a nested
 * document a map; an array a list; binary data base64 (a UUID subtype the UUID's text); a BSON
 * timestamp its seconds. Thread-safe.
 */
public final class BsonValues {

    private static final DateTimeFormatter UTC_MICROS = DateTimeFormatter.ofPattern(
                    "uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private BsonValues() {}

    /** A document as a row, in the document's field order. */
    public static Map<String, Object> document(BsonDocument doc) {
        Map<String, Object> out = new LinkedHashMap<>();
        doc.forEach((name, v) -> out.put(name, value(v)));
        return out;
    }

    /** One value. */
    public static Object value(BsonValue v) {
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
                return floating(v.asDouble().getValue());
            case DECIMAL128:
                return decimal(v);
            case DATE_TIME:
                return UTC_MICROS.format(Instant.ofEpochMilli(v.asDateTime().getValue()));
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
                // MinKey, MaxKey, DBPointer, JavaScript with scope: kept as their extended JSON, as ingest does.
                return new BsonDocument("v", v)
                        .toJson()
                        .replaceFirst("^\\{\\s*\"v\"\\s*:\\s*", "")
                        .replaceFirst("\\s*}$", "");
        }
    }

    private static Object floating(double d) {
        if (Double.isNaN(d)) {
            return "NaN";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "Infinity" : "-Infinity";
        }
        return d;
    }

    private static Object decimal(BsonValue v) {
        var d = v.asDecimal128().getValue();
        if (d.isNaN()) {
            return "NaN";
        }
        if (d.isInfinite()) {
            return d.isNegative() ? "-Infinity" : "Infinity";
        }
        try {
            return new BigDecimal(d.bigDecimalValue().toString());
        } catch (ArithmeticException negativeZero) {
            // bigDecimalValue() refuses -0 (BigDecimal has no signed zero): the zero of the same scale.
            return new BigDecimal(d.toString().substring(1));
        }
    }

    private static List<Object> array(BsonArray array) {
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
            return binary.asUuid(UuidRepresentation.JAVA_LEGACY).toString();
        }
        return Base64.getEncoder().encodeToString(binary.getData());
    }
}
