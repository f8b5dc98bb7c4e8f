package io.undercurrent.source.mongodb;

import io.undercurrent.query.ColumnType;
import io.undercurrent.query.Filter;
import io.undercurrent.query.TableSchema;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.bson.BsonArray;
import org.bson.BsonBoolean;
import org.bson.BsonDateTime;
import org.bson.BsonDecimal128;
import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonNull;
import org.bson.BsonObjectId;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.bson.types.Decimal128;
import org.bson.types.ObjectId;

/**
 * Seeded random documents of a collection with a field of each mapped BSON type (each field also
 * null or missing), and seeded random filters over them, with values drawn from the documents' own
 * values and from edge spellings: fractions against integers, sub-millisecond and infinite dates,
 * more digits than decimal128 holds, NaN and the infinities, upper-case ObjectIds, NULLs in lists.
 */
final class RandomDocuments {

    /** The collection's validator: what its schema is read from. */
    static final BsonDocument VALIDATOR = BsonDocument.parse("""
            {"$jsonSchema": {"bsonType": "object", "properties": {
              "_id": {"bsonType": ["int", "long"]},
              "i": {"bsonType": ["int", "long", "null"]},
              "d": {"bsonType": "double"},
              "dec": {"bsonType": "decimal"},
              "s": {"bsonType": "string"},
              "b": {"bsonType": "bool"},
              "t": {"bsonType": "date"},
              "oid": {"bsonType": "objectId"},
              "meta": {"bsonType": "object", "properties": {"team": {"bsonType": "string"}, "level": {"bsonType": "long"}}},
              "tags": {"bsonType": "array", "items": {"bsonType": "string"}}
            }}}""");

    static final TableSchema SCHEMA = MongoSchemas.fromValidator("mongo", "shop.things", VALIDATOR);

    private static final ObjectId[] OIDS = {
        new ObjectId("65a1b2c3d4e5f60718293a4b"),
        new ObjectId("65a1b2c3d4e5f60718293a4c"),
        new ObjectId("000000000000000000000000")
    };
    private static final long[] DATES = {0L, 1_700_000_000_000L, 1_700_000_000_001L, -86_400_000L, 253_402_300_799_000L
    };
    private static final String[] STRINGS = {"", "a", "A", "ab", "b", "ä", "a\uD83D\uDE00", "z"};

    private final Random random;

    RandomDocuments(long seed) {
        this.random = new Random(seed);
    }

    List<BsonDocument> documents(int count) {
        List<BsonDocument> docs = new ArrayList<>();
        for (int id = 0; id < count; id++) {
            BsonDocument doc = new BsonDocument("_id", id % 2 == 0 ? new BsonInt32(id) : new BsonInt64(id));
            maybe(doc, "i", this::integer);
            maybe(doc, "d", this::floating);
            maybe(doc, "dec", this::decimal);
            maybe(doc, "s", () -> new BsonString(pick(STRINGS)));
            maybe(doc, "b", () -> BsonBoolean.valueOf(random.nextBoolean()));
            maybe(doc, "t", () -> new BsonDateTime(DATES[random.nextInt(DATES.length)]));
            maybe(doc, "oid", () -> new BsonObjectId(OIDS[random.nextInt(OIDS.length)]));
            maybe(doc, "meta", () -> {
                BsonDocument meta = new BsonDocument();
                maybe(meta, "team", () -> new BsonString(pick(STRINGS)));
                maybe(meta, "level", () -> new BsonInt64(random.nextInt(4)));
                return meta;
            });
            maybe(doc, "tags", () -> {
                BsonArray tags = new BsonArray();
                for (int i = random.nextInt(3); i > 0; i--) {
                    tags.add(random.nextInt(5) == 0 ? BsonNull.VALUE : new BsonString(pick(STRINGS)));
                }
                return tags;
            });
            docs.add(doc);
        }
        return docs;
    }

    private void maybe(BsonDocument doc, String name, java.util.function.Supplier<BsonValue> value) {
        int r = random.nextInt(10);
        if (r < 7) {
            doc.put(name, value.get());
        } else if (r < 8) {
            doc.put(name, BsonNull.VALUE);
        }
    }

    private BsonValue integer() {
        long[] pool = {-3, -1, 0, 1, 2, 3, Long.MAX_VALUE, Long.MIN_VALUE, 1L << 53, (1L << 53) + 1};
        long v = pool[random.nextInt(pool.length)];
        return v == (int) v && random.nextBoolean() ? new BsonInt32((int) v) : new BsonInt64(v);
    }

    private BsonValue floating() {
        double[] pool = {
            -1.5,
            0.0,
            -0.0,
            2.0,
            0.1,
            1e300,
            Double.NaN,
            Double.POSITIVE_INFINITY,
            Double.NEGATIVE_INFINITY,
            9007199254740993.0
        };
        return new BsonDouble(pool[random.nextInt(pool.length)]);
    }

    private BsonValue decimal() {
        String[] pool = {
            "1.50", "1.5", "-0", "2", "NaN", "Infinity", "-Infinity", "1234567890123456789012345678901.234", "0.1"
        };
        return new BsonDecimal128(Decimal128.parse(pool[random.nextInt(pool.length)]));
    }

    /** A random filter over {@link #SCHEMA}, at most {@code depth} levels deep. */
    Filter filter(int depth) {
        int r = random.nextInt(depth > 0 ? 10 : 6);
        if (r >= 6) {
            List<Filter> parts = new ArrayList<>();
            for (int i = random.nextInt(3); i >= 0; i--) {
                parts.add(filter(depth - 1));
            }
            return switch (r) {
                case 6 -> new Filter.And(parts);
                case 7 -> new Filter.Or(parts);
                default -> new Filter.Not(parts.get(0));
            };
        }
        TableSchema.Column column =
                SCHEMA.columns().get(random.nextInt(SCHEMA.columns().size()));
        if (r == 0 || column.type() == ColumnType.JSON || column.type() == ColumnType.ARRAY) {
            return new Filter.IsNull(column.name(), random.nextBoolean());
        }
        if (r == 1) {
            List<Object> values = new ArrayList<>();
            for (int i = random.nextInt(4); i > 0; i--) {
                values.add(random.nextInt(6) == 0 ? null : constant(column));
            }
            return new Filter.In(column.name(), values, random.nextBoolean());
        }
        Filter.Operator op = Filter.Operator.values()[random.nextInt(Filter.Operator.values().length)];
        return new Filter.Comparison(column.name(), op, random.nextInt(15) == 0 ? null : constant(column));
    }

    /** A client's value for the column, as the parser hands it to coercion. */
    private Object constant(TableSchema.Column column) {
        return switch (column.name()) {
            case "_id", "i", "meta.level" ->
                pick(new Object[] {
                    0L,
                    1L,
                    2L,
                    3L,
                    -1L,
                    Long.MAX_VALUE,
                    Long.MIN_VALUE,
                    new BigDecimal("2.5"),
                    new BigDecimal("-0.5"),
                    new BigDecimal("1e30"),
                    new BigDecimal("-9223372036854775809"),
                    9007199254740993L,
                    "3"
                });
            case "d" ->
                pick(new Object[] {
                    new BigDecimal("-1.5"),
                    0L,
                    2L,
                    new BigDecimal("0.1"),
                    "NaN",
                    "Infinity",
                    "-Infinity",
                    new BigDecimal("1e300"),
                    9007199254740993L,
                    new BigDecimal("2.0000000000000000001")
                });
            case "dec" ->
                pick(new Object[] {
                    new BigDecimal("1.5"),
                    new BigDecimal("1.50"),
                    0L,
                    2L,
                    "NaN",
                    "Infinity",
                    "-Infinity",
                    new BigDecimal("1234567890123456789012345678901.234"),
                    new BigDecimal("1234567890123456789012345678901.2345"),
                    new BigDecimal("0.1"),
                    new BigDecimal("0.10000000000000000000000000000000000001")
                });
            case "s", "meta.team" ->
                pick(new Object[] {"", "a", "A", "ab", "aa", "b", "ä", "a\uD83D\uDE00", "z", "{\"$gt\":\"\"}"});
            case "b" -> random.nextBoolean();
            case "t" ->
                pick(new Object[] {
                    "1970-01-01T00:00:00Z",
                    "2023-11-14T22:13:20.000Z",
                    "2023-11-14T22:13:20.0005Z",
                    "2023-11-14T22:13:20.001Z",
                    "2023-11-14T23:13:20.0009+01:00",
                    "1969-12-31T00:00:00Z",
                    "infinity",
                    "-infinity",
                    "9999-12-31T23:59:59Z"
                });
            case "oid" ->
                pick(new Object[] {
                    "65a1b2c3d4e5f60718293a4b",
                    "65A1B2C3D4E5F60718293A4C",
                    "000000000000000000000000",
                    "ffffffffffffffffffffffff"
                });
            default -> throw new IllegalStateException(column.name());
        };
    }

    private <T> T pick(T[] values) {
        return values[random.nextInt(values.length)];
    }
}
