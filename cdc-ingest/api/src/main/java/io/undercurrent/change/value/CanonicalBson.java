package io.undercurrent.change.value;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
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
 * BSON values as canonical values: the one walk both producers of MongoDB rows call, ingest (the
 * documents of change events) and the MongoDB snapshot reader (the documents of a read), so a
 * snapshot row equals the change row of the same document value by value.
 *
 * <p>ObjectId becomes the 24-digit lower-case hex string; Date a UTC timestamp string with
 * microseconds ({@link CanonicalTemporal#formatTimestamptz}'s form, for every date BSON can hold);
 * int32 and int64 a {@code Long}; double a {@code Double} ({@link CanonicalForms#float64}: NaN and the
 * infinities as strings); decimal128 an exact {@code BigDecimal} (its NaN and infinities as strings,
 * its negative zero as zero); a nested document a map; an array a list; binary data base64
 * ({@link CanonicalForms#bytes}), a UUID subtype the UUID's text; a BSON timestamp its seconds; a
 * symbol, regular expression or JavaScript its text; MinKey, MaxKey, DBPointer and JavaScript with
 * scope their extended JSON.
 *
 * <p>The BSON library is an optional dependency of the change contract: only a module that already
 * holds BSON values (and so has the library) can call this class, and the router's and edge's
 * classpath stays without it. Stateless and thread-safe.
 */
public final class CanonicalBson {

    /**
     * {@link CanonicalTemporal#formatTimestamptz}'s form (years past 9999 with a {@code +}, before year
     * 0 with a {@code -}), also for the dates past its microsecond range that a BSON Date can hold.
     */
    private static final DateTimeFormatter UTC_MICROS = DateTimeFormatter.ofPattern(
                    "uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private CanonicalBson() {}

    /** A document as a row, in the document's field order. */
    public static Map<String, Object> document(BsonDocument doc) {
        Map<String, Object> out = new LinkedHashMap<>();
        doc.forEach((name, v) -> out.put(name, value(v)));
        return out;
    }

    /** One value; BSON null and undefined give {@code null}. */
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
                return CanonicalForms.float64(v.asDouble().getValue());
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
                // MinKey, MaxKey, DBPointer, JavaScript with scope: no canonical form; kept as their extended JSON.
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
        return CanonicalForms.bytes(binary.getData());
    }
}
