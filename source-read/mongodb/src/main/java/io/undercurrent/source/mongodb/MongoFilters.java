package io.undercurrent.source.mongodb;

import io.undercurrent.change.value.CanonicalTemporal;
import io.undercurrent.change.value.NonFinite;
import io.undercurrent.query.ColumnType;
import io.undercurrent.query.Filter;
import io.undercurrent.query.InvalidQueryException;
import io.undercurrent.query.TableSchema;
import io.undercurrent.query.TableSchema.Column;
import io.undercurrent.query.spi.FilterChecks;
import io.undercurrent.query.spi.JsonPaths;
import io.undercurrent.query.spi.ValueCoercion;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import org.bson.BsonArray;
import org.bson.BsonBoolean;
import org.bson.BsonDateTime;
import org.bson.BsonDecimal128;
import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonInt64;
import org.bson.BsonNull;
import org.bson.BsonObjectId;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.bson.types.Decimal128;
import org.bson.types.ObjectId;

/**
 * Translates a live query's {@code where} into a MongoDB query filter that selects exactly the
 * documents the in-memory matcher ({@code RowMatcher}) accepts, under the type mapping of this
 * module's README. Values become BSON values of the field's declared type, never text.
 *
 * <p>The language has SQL's three-valued logic (a comparison with a missing field is UNKNOWN, and
 * {@code not} keeps UNKNOWN unknown), MongoDB's query language two values ({@code $ne} and
 * {@code $nor} match missing fields). So every condition is translated twice: the documents where
 * it is TRUE, and those where it is FALSE; {@code not} swaps them, {@code and}/{@code or} combine
 * them as Kleene logic does. The filter is the TRUE side. Each comparison also bridges where
 * MongoDB's comparison differs from the matcher's (PostgreSQL's): NaN, which MongoDB's range
 * operators never match and the matcher orders above every number; constants finer than the
 * field's values (a fraction against an integer field, microseconds against a millisecond date,
 * more digits than decimal128 holds), which are rounded to the nearest values the field can hold
 * in the direction that keeps the comparison exact.
 *
 * <p>Values are checked and coerced with the language's {@code spi}, exactly as the matcher does.
 * Thread-safe.
 */
public final class MongoFilters {

    /** Matches no document: every document has an {@code _id}. */
    static final BsonDocument NONE = new BsonDocument(MongoSchemas.ID, new BsonDocument("$exists", BsonBoolean.FALSE));

    private static final BsonDouble NAN = new BsonDouble(Double.NaN);
    private static final BsonDouble NEG_INF = new BsonDouble(Double.NEGATIVE_INFINITY);
    private static final MathContext DECIMAL128 = new MathContext(34);
    private static final long EPOCH_OFFSET_MICROS =
            CanonicalTemporal.POSTGRES_EPOCH_DAY * CanonicalTemporal.MICROS_PER_DAY;

    private final TableSchema schema;

    public MongoFilters(TableSchema schema) {
        this.schema = schema;
    }

    /** The query filter selecting the documents {@code filter} is TRUE for; {@code {}} for all. */
    public BsonDocument filter(Filter filter) {
        return translate(filter, "where").whenTrue();
    }

    /** Where a condition is TRUE, and where it is FALSE (UNKNOWN is neither). */
    record Sides(BsonDocument whenTrue, BsonDocument whenFalse) {
        Sides not() {
            return new Sides(whenFalse, whenTrue);
        }
    }

    private Sides translate(Filter filter, String path) {
        if (filter instanceof Filter.And and) {
            List<Sides> parts = parts(and.operands(), JsonPaths.key(path, "and"));
            return new Sides(
                    all(parts.stream().map(Sides::whenTrue).toList()),
                    any(parts.stream().map(Sides::whenFalse).toList()));
        }
        if (filter instanceof Filter.Or or) {
            List<Sides> parts = parts(or.operands(), JsonPaths.key(path, "or"));
            return new Sides(
                    any(parts.stream().map(Sides::whenTrue).toList()),
                    all(parts.stream().map(Sides::whenFalse).toList()));
        }
        if (filter instanceof Filter.Not not) {
            return translate(not.operand(), JsonPaths.key(path, "not")).not();
        }
        if (filter instanceof Filter.IsNull n) {
            Column column = column(n.column(), path);
            Sides isNull = new Sides(isNull(column), notNull(column));
            return n.isNull() ? isNull : isNull.not();
        }
        if (filter instanceof Filter.Comparison c) {
            Column column = column(c.column(), path);
            String opPath =
                    JsonPaths.key(JsonPaths.key(path, c.column()), c.operator().jsonName());
            FilterChecks.checkApplies(
                    column, c.operator().jsonName(), c.operator().isOrdering(), opPath);
            Object value = ValueCoercion.coerce(column, c.value(), opPath, null);
            if (value == null) {
                return new Sides(NONE, NONE); // UNKNOWN for every document
            }
            return new Sides(compare(column, c.operator(), value), compare(column, negate(c.operator()), value));
        }
        Filter.In in = (Filter.In) filter;
        Column column = column(in.column(), path);
        String op = in.negated() ? "nin" : "in";
        String opPath = JsonPaths.key(JsonPaths.key(path, in.column()), op);
        FilterChecks.checkApplies(column, op, false, opPath);
        List<BsonDocument> equal = new ArrayList<>();
        List<BsonDocument> unequal = new ArrayList<>();
        boolean hasNull = false;
        for (int i = 0; i < in.values().size(); i++) {
            Object value = ValueCoercion.coerce(column, in.values().get(i), JsonPaths.index(opPath, i), null);
            if (value == null) {
                hasNull = true;
            } else {
                equal.add(compare(column, Filter.Operator.EQ, value));
                unequal.add(compare(column, Filter.Operator.NE, value));
            }
        }
        // x IN (a, b) is TRUE where x = a or x = b; FALSE where x <> a and x <> b, unless the list
        // holds a NULL (then it is never FALSE); an empty list is FALSE even for a missing field.
        BsonDocument whenTrue = equal.isEmpty() ? NONE : any(equal);
        BsonDocument whenFalse = hasNull ? NONE : in.values().isEmpty() ? new BsonDocument() : all(unequal);
        Sides sides = new Sides(whenTrue, whenFalse);
        return in.negated() ? sides.not() : sides;
    }

    private List<Sides> parts(List<Filter> filters, String path) {
        List<Sides> parts = new ArrayList<>(filters.size());
        for (int i = 0; i < filters.size(); i++) {
            parts.add(translate(filters.get(i), JsonPaths.index(path, i)));
        }
        return parts;
    }

    private Column column(String name, String path) {
        Column column = schema.column(name);
        if (column == null) {
            throw new InvalidQueryException(
                    JsonPaths.key(path, name),
                    "unknown column " + JsonPaths.quote(name) + " in table " + schema.table());
        }
        return column;
    }

    private static Filter.Operator negate(Filter.Operator op) {
        return switch (op) {
            case EQ -> Filter.Operator.NE;
            case NE -> Filter.Operator.EQ;
            case LT -> Filter.Operator.GTE;
            case LTE -> Filter.Operator.GT;
            case GT -> Filter.Operator.LTE;
            case GTE -> Filter.Operator.LT;
        };
    }

    /**
     * Missing or null. An array field's {@code {f: null}} would also match an array holding a null
     * element, so arrays are told apart by type.
     */
    private static BsonDocument isNull(Column column) {
        if (column.type() == ColumnType.ARRAY) {
            return field(column, new BsonDocument("$not", new BsonDocument("$type", new BsonString("array"))));
        }
        return new BsonDocument(column.name(), BsonNull.VALUE);
    }

    private static BsonDocument notNull(Column column) {
        if (column.type() == ColumnType.ARRAY) {
            return field(column, new BsonDocument("$type", new BsonString("array")));
        }
        return field(column, new BsonDocument("$ne", BsonNull.VALUE));
    }

    /** {@code column <op> value} where the field holds a value: never matches a missing or null field. */
    private static BsonDocument compare(Column column, Filter.Operator op, Object value) {
        return switch (column.type()) {
            case INTEGER -> integer(column, op, value);
            case DECIMAL -> decimal(column, op, value);
            case FLOAT -> floating(column, op, NonFinite.toDouble(value));
            case TIMESTAMPTZ -> date(column, op, ValueCoercion.parseTemporal(ColumnType.TIMESTAMPTZ, (String) value));
            case TEXT ->
                plain(
                        column,
                        op,
                        ValueCoercion.OBJECT_ID.equals(column.dbType())
                                ? new BsonObjectId(new ObjectId((String) value))
                                : new BsonString((String) value));
            case BOOLEAN -> plain(column, op, BsonBoolean.valueOf((Boolean) value));
            default ->
                throw new InvalidQueryException(
                        column.name(), "column \"" + column.name() + "\" cannot be compared on a MongoDB source");
        };
    }

    /** Values of one BSON type that compare as the matcher compares them. */
    private static BsonDocument plain(Column column, Filter.Operator op, BsonValue value) {
        if (op == Filter.Operator.NE) {
            return field(column, new BsonDocument("$nin", new BsonArray(List.of(value, BsonNull.VALUE))));
        }
        return field(column, new BsonDocument("$" + op.jsonName(), value));
    }

    /** int32/int64 fields against a whole or fractional constant, of any size. */
    private static BsonDocument integer(Column column, Filter.Operator op, Object value) {
        BigDecimal c = value instanceof Long l ? BigDecimal.valueOf(l) : (BigDecimal) value;
        BigDecimal floor = c.setScale(0, RoundingMode.FLOOR);
        BigDecimal ceiling = c.setScale(0, RoundingMode.CEILING);
        boolean whole = floor.compareTo(c) == 0;
        return switch (op) {
            case EQ -> whole && fitsLong(floor) ? plain(column, op, new BsonInt64(floor.longValueExact())) : NONE;
            case NE ->
                whole && fitsLong(floor) ? plain(column, op, new BsonInt64(floor.longValueExact())) : notNull(column);
            // f > c  <=>  f > floor(c);  f <= c  <=>  f <= floor(c)
            case GT -> bound(column, "$gt", floor, false);
            case LTE -> bound(column, "$lte", floor, true);
            // f >= c  <=>  f >= ceil(c);  f < c  <=>  f < ceil(c)
            case GTE -> bound(column, "$gte", ceiling, false);
            case LT -> bound(column, "$lt", ceiling, true);
        };
    }

    /** {@code f <op> n} for a whole {@code n} beyond or within the 64-bit range of the field's values. */
    private static BsonDocument bound(Column column, String op, BigDecimal n, boolean below) {
        if (fitsLong(n)) {
            return field(column, new BsonDocument(op, new BsonInt64(n.longValueExact())));
        }
        boolean aboveAll = n.signum() > 0;
        // Every 64-bit value is below a huge positive n and above a huge negative one.
        return below == aboveAll ? notNull(column) : NONE;
    }

    private static boolean fitsLong(BigDecimal n) {
        return n.compareTo(BigDecimal.valueOf(Long.MIN_VALUE)) >= 0
                && n.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) <= 0;
    }

    /** decimal128 fields: NaN and the infinities as MongoDB holds them, other constants rounded to 34 digits. */
    private static BsonDocument decimal(Column column, Filter.Operator op, Object value) {
        if (value instanceof String special) {
            int rank = NonFinite.rank(special);
            Decimal128 d = rank == NonFinite.NAN
                    ? Decimal128.NaN
                    : rank == NonFinite.POS_INFINITY ? Decimal128.POSITIVE_INFINITY : Decimal128.NEGATIVE_INFINITY;
            return numeric(column, op, new BsonDecimal128(d), rank == NonFinite.NAN);
        }
        BigDecimal c = value instanceof Long l ? BigDecimal.valueOf(l) : (BigDecimal) value;
        BigDecimal down = c.round(new MathContext(34, RoundingMode.FLOOR));
        BigDecimal up = c.round(new MathContext(34, RoundingMode.CEILING));
        if (down.compareTo(c) == 0) {
            return numeric(column, op, decimal128(c.round(DECIMAL128)), false);
        }
        // No decimal128 value equals c; the nearest ones on either side stand for it.
        return switch (op) {
            case EQ -> NONE;
            case NE -> notNull(column);
            case GT, GTE -> numeric(column, Filter.Operator.GTE, decimal128(up), false);
            case LT, LTE -> numeric(column, Filter.Operator.LTE, decimal128(down), false);
        };
    }

    private static BsonValue decimal128(BigDecimal d) {
        try {
            return new BsonDecimal128(new Decimal128(d));
        } catch (NumberFormatException e) {
            // Beyond decimal128's exponent range; the matcher's numbers are limited to far less.
            throw new InvalidQueryException(
                    "where",
                    "the number " + ValueCoercion.abbreviate(d.toString())
                            + " is outside the range of MongoDB's decimal128");
        }
    }

    /** double fields: the constant as the nearest double, as the matcher compares it. */
    private static BsonDocument floating(Column column, Filter.Operator op, double value) {
        return numeric(column, op, new BsonDouble(value), Double.isNaN(value));
    }

    /**
     * A number field that may hold NaN. The matcher orders NaN above every number and equal to itself
     * (PostgreSQL's order); MongoDB's {@code $eq}/{@code $ne}/{@code $in} treat NaN as equal to itself
     * too, but its range operators never match NaN on either side.
     */
    private static BsonDocument numeric(Column column, Filter.Operator op, BsonValue value, boolean isNaN) {
        BsonDocument nan = field(column, new BsonDocument("$eq", NAN));
        BsonDocument number = field(column, new BsonDocument("$gte", NEG_INF)); // every number but NaN
        if (isNaN) {
            return switch (op) {
                case EQ, GTE -> nan;
                case NE, LT -> number;
                case LTE -> any(List.of(number, nan));
                case GT -> NONE;
            };
        }
        return switch (op) {
            case EQ, NE, LT, LTE -> plain(column, op, value);
            case GT, GTE -> any(List.of(plain(column, op, value), nan));
        };
    }

    /** Date fields (milliseconds) against a microsecond timestamp, or the infinities. */
    private static BsonDocument date(Column column, Filter.Operator op, long micros) {
        if (micros == CanonicalTemporal.POS_INFINITY || micros == CanonicalTemporal.NEG_INFINITY) {
            boolean positive = micros == CanonicalTemporal.POS_INFINITY;
            return switch (op) {
                case EQ -> NONE;
                case NE -> notNull(column);
                case LT, LTE -> positive ? notNull(column) : NONE;
                case GT, GTE -> positive ? NONE : notNull(column);
            };
        }
        long unixMicros = Math.addExact(micros, EPOCH_OFFSET_MICROS);
        long floor = Math.floorDiv(unixMicros, 1000);
        long ceiling = -Math.floorDiv(-unixMicros, 1000);
        boolean whole = floor == ceiling;
        return switch (op) {
            case EQ -> whole ? plain(column, op, new BsonDateTime(floor)) : NONE;
            case NE -> whole ? plain(column, op, new BsonDateTime(floor)) : notNull(column);
            case GT -> plain(column, op, new BsonDateTime(floor));
            case LTE -> plain(column, op, new BsonDateTime(floor));
            case GTE -> plain(column, op, new BsonDateTime(ceiling));
            case LT -> plain(column, op, new BsonDateTime(ceiling));
        };
    }

    private static BsonDocument field(Column column, BsonDocument condition) {
        return new BsonDocument(column.name(), condition);
    }

    /** AND of filters: {@code {}} for none, NONE when any is NONE. */
    static BsonDocument all(List<BsonDocument> filters) {
        List<BsonDocument> kept = new ArrayList<>();
        for (BsonDocument f : filters) {
            if (f.equals(NONE)) {
                return NONE;
            }
            if (!f.isEmpty()) {
                kept.add(f);
            }
        }
        if (kept.isEmpty()) {
            return new BsonDocument();
        }
        return kept.size() == 1 ? kept.get(0) : new BsonDocument("$and", new BsonArray(kept));
    }

    /** OR of filters: NONE for none, {@code {}} when any is {@code {}}. */
    static BsonDocument any(List<BsonDocument> filters) {
        List<BsonDocument> kept = new ArrayList<>();
        for (BsonDocument f : filters) {
            if (f.isEmpty()) {
                return new BsonDocument();
            }
            if (!f.equals(NONE)) {
                kept.add(f);
            }
        }
        if (kept.isEmpty()) {
            return NONE;
        }
        return kept.size() == 1 ? kept.get(0) : new BsonDocument("$or", new BsonArray(kept));
    }
}
