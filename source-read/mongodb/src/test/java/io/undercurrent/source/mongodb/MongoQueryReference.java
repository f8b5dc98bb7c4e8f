package io.undercurrent.source.mongodb;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.bson.BsonDocument;
import org.bson.BsonType;
import org.bson.BsonValue;

/**
 * An independent model of MongoDB's query matching, written from MongoDB's documented semantics (not
 * from the translator): a test oracle for {@link MongoFilters}. It covers what the translator emits:
 * {@code $and}, {@code $or}, {@code $eq}, {@code $ne}, {@code $gt}, {@code $gte}, {@code $lt},
 * {@code $lte}, {@code $in}, {@code $nin}, {@code $exists}, {@code $type: "array"} and {@code $not}.
 *
 * <ul>
 *   <li>A dotted path descends into embedded documents, and into the documents of an array; a field
 *       holding an array is matched by the array itself or by any of its elements.</li>
 *   <li>{@code {f: null}} / {@code {$eq: null}} match a missing field, a null, or an array holding null;
 *       {@code $ne} and {@code $nin} are the negations of {@code $eq} and {@code $in}, so they match
 *       missing fields.</li>
 *   <li>Comparison operators only compare values of the same type bracket (all numbers are one
 *       bracket: int32, int64, double, decimal128, compared by exact value; -0 equals 0).</li>
 *   <li>NaN equals NaN; a range comparison with NaN on either side is false, except that
 *       {@code $gte}/{@code $lte} hold between two NaNs.</li>
 *   <li>Strings compare by their UTF-8 bytes (the simple collation), ObjectIds by their bytes, dates
 *       by their milliseconds, false before true.</li>
 * </ul>
 */
final class MongoQueryReference {

    private MongoQueryReference() {}

    static boolean matches(BsonDocument doc, BsonDocument filter) {
        for (Map.Entry<String, BsonValue> e : filter.entrySet()) {
            String key = e.getKey();
            boolean ok = switch (key) {
                case "$and" -> e.getValue().asArray().stream().allMatch(f -> matches(doc, f.asDocument()));
                case "$or" -> e.getValue().asArray().stream().anyMatch(f -> matches(doc, f.asDocument()));
                case "$nor" -> e.getValue().asArray().stream().noneMatch(f -> matches(doc, f.asDocument()));
                default -> field(doc, key, e.getValue());
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static boolean field(BsonDocument doc, String path, BsonValue condition) {
        List<BsonValue> found = new ArrayList<>();
        boolean exists = resolve(doc, path.split("\\."), 0, found);
        if (condition.isDocument()
                && !condition.asDocument().isEmpty()
                && condition.asDocument().getFirstKey().startsWith("$")) {
            for (Map.Entry<String, BsonValue> op : condition.asDocument().entrySet()) {
                if (!operator(op.getKey(), op.getValue(), found, exists)) {
                    return false;
                }
            }
            return true;
        }
        return operator("$eq", condition, found, exists);
    }

    /** Collects the values a path reaches; false when it reaches none. */
    private static boolean resolve(BsonValue current, String[] parts, int i, List<BsonValue> out) {
        if (i == parts.length) {
            out.add(current);
            return true;
        }
        if (current.isDocument()) {
            BsonValue next = current.asDocument().get(parts[i]);
            return next != null && resolve(next, parts, i + 1, out);
        }
        if (current.isArray()) {
            boolean any = false;
            for (BsonValue element : current.asArray()) {
                if (element.isDocument()) {
                    any |= resolve(element, parts, i, out);
                }
            }
            return any;
        }
        return false;
    }

    /** The values a condition is tried on: each value, and the elements of each array. */
    private static List<BsonValue> candidates(List<BsonValue> found) {
        List<BsonValue> out = new ArrayList<>();
        for (BsonValue v : found) {
            out.add(v);
            if (v.isArray()) {
                out.addAll(v.asArray().getValues());
            }
        }
        return out;
    }

    private static boolean operator(String op, BsonValue arg, List<BsonValue> found, boolean exists) {
        return switch (op) {
            case "$eq" -> equalsAny(arg, found, exists);
            case "$ne" -> !equalsAny(arg, found, exists);
            case "$in" -> arg.asArray().stream().anyMatch(v -> equalsAny(v, found, exists));
            case "$nin" -> arg.asArray().stream().noneMatch(v -> equalsAny(v, found, exists));
            case "$exists" -> exists == arg.asBoolean().getValue();
            case "$type" -> {
                if (!arg.asString().getValue().equals("array")) {
                    throw new IllegalArgumentException("$type " + arg);
                }
                yield found.stream().anyMatch(BsonValue::isArray);
            }
            case "$not" -> {
                boolean all = true;
                for (Map.Entry<String, BsonValue> inner : arg.asDocument().entrySet()) {
                    all &= operator(inner.getKey(), inner.getValue(), found, exists);
                }
                yield !all;
            }
            case "$gt", "$gte", "$lt", "$lte" -> candidates(found).stream().anyMatch(v -> range(op, v, arg));
            default -> throw new IllegalArgumentException("operator " + op + " is not modelled");
        };
    }

    private static boolean equalsAny(BsonValue arg, List<BsonValue> found, boolean exists) {
        if (arg.isNull()) {
            return !exists || candidates(found).stream().anyMatch(BsonValue::isNull);
        }
        return candidates(found).stream().anyMatch(v -> Integer.valueOf(0).equals(compare(v, arg)));
    }

    private static boolean range(String op, BsonValue v, BsonValue arg) {
        if (isNumber(v) && isNumber(arg) && (isNaN(v) || isNaN(arg))) {
            boolean both = isNaN(v) && isNaN(arg);
            return both && (op.equals("$gte") || op.equals("$lte"));
        }
        Integer c = compare(v, arg);
        if (c == null) {
            return false;
        }
        return switch (op) {
            case "$gt" -> c > 0;
            case "$gte" -> c >= 0;
            case "$lt" -> c < 0;
            default -> c <= 0;
        };
    }

    /** Same-bracket comparison; null when the values are of different brackets. */
    static Integer compare(BsonValue a, BsonValue b) {
        if (isNumber(a) && isNumber(b)) {
            if (isNaN(a) || isNaN(b)) {
                return isNaN(a) && isNaN(b) ? 0 : null;
            }
            return Integer.signum(
                    Double.compare(rank(a), rank(b)) != 0
                            ? Double.compare(rank(a), rank(b))
                            : rank(a) == 0 ? exact(a).compareTo(exact(b)) : 0);
        }
        if (a.getBsonType() != b.getBsonType()) {
            return null;
        }
        return switch (a.getBsonType()) {
            case STRING ->
                Integer.signum(Arrays.compareUnsigned(
                        a.asString().getValue().getBytes(StandardCharsets.UTF_8),
                        b.asString().getValue().getBytes(StandardCharsets.UTF_8)));
            case OBJECT_ID ->
                Integer.signum(
                        a.asObjectId().getValue().compareTo(b.asObjectId().getValue()));
            case DATE_TIME ->
                Long.compare(a.asDateTime().getValue(), b.asDateTime().getValue());
            case BOOLEAN ->
                Boolean.compare(a.asBoolean().getValue(), b.asBoolean().getValue());
            case NULL -> 0;
            default -> a.equals(b) ? 0 : null;
        };
    }

    private static boolean isNumber(BsonValue v) {
        BsonType t = v.getBsonType();
        return t == BsonType.INT32 || t == BsonType.INT64 || t == BsonType.DOUBLE || t == BsonType.DECIMAL128;
    }

    private static boolean isNaN(BsonValue v) {
        return (v.isDouble() && Double.isNaN(v.asDouble().getValue()))
                || (v.isDecimal128() && v.asDecimal128().getValue().isNaN());
    }

    /** -1 for minus infinity, 1 for plus infinity, 0 for a finite number. */
    private static double rank(BsonValue v) {
        if (v.isDouble() && Double.isInfinite(v.asDouble().getValue())) {
            return Math.signum(v.asDouble().getValue());
        }
        if (v.isDecimal128() && v.asDecimal128().getValue().isInfinite()) {
            return v.asDecimal128().getValue().isNegative() ? -1 : 1;
        }
        return 0;
    }

    private static BigDecimal exact(BsonValue v) {
        return switch (v.getBsonType()) {
            case INT32 -> BigDecimal.valueOf(v.asInt32().getValue());
            case INT64 -> BigDecimal.valueOf(v.asInt64().getValue());
            case DOUBLE -> new BigDecimal(v.asDouble().getValue());
            default -> {
                var d = v.asDecimal128().getValue();
                try {
                    yield d.bigDecimalValue();
                } catch (ArithmeticException negativeZero) {
                    yield BigDecimal.ZERO;
                }
            }
        };
    }
}
