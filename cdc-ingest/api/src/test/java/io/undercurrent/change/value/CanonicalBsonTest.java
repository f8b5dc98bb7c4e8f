package io.undercurrent.change.value;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.bson.BsonArray;
import org.bson.BsonBinary;
import org.bson.BsonBinarySubType;
import org.bson.BsonDateTime;
import org.bson.BsonDecimal128;
import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonMaxKey;
import org.bson.BsonNull;
import org.bson.BsonObjectId;
import org.bson.BsonString;
import org.bson.BsonTimestamp;
import org.bson.BsonUndefined;
import org.bson.UuidRepresentation;
import org.bson.types.Decimal128;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;

class CanonicalBsonTest {

    @Test
    void scalarsTakeTheCanonicalForms() {
        assertThat(CanonicalBson.value(new BsonObjectId(new ObjectId("65F0A1B2C3D4E5F607182930"))))
                .isEqualTo("65f0a1b2c3d4e5f607182930");
        assertThat(CanonicalBson.value(new BsonInt32(7))).isEqualTo(7L);
        assertThat(CanonicalBson.value(new BsonInt64(1L << 40))).isEqualTo(1L << 40);
        assertThat(CanonicalBson.value(new BsonDouble(1.5))).isEqualTo(1.5);
        assertThat(CanonicalBson.value(new BsonDouble(Double.NaN))).isEqualTo("NaN");
        assertThat(CanonicalBson.value(new BsonDouble(Double.NEGATIVE_INFINITY)))
                .isEqualTo("-Infinity");
        assertThat(CanonicalBson.value(new BsonTimestamp(1_700_000_000, 3))).isEqualTo(1_700_000_000L);
        assertThat(CanonicalBson.value(BsonNull.VALUE)).isNull();
        assertThat(CanonicalBson.value(new BsonUndefined())).isNull();
        assertThat(CanonicalBson.value(new BsonMaxKey())).isEqualTo("{\"$maxKey\": 1}");
    }

    @Test
    void decimalsStayExactAndNegativeZeroIsZero() {
        assertThat(CanonicalBson.value(new BsonDecimal128(Decimal128.parse("12.50"))))
                .isEqualTo(new BigDecimal("12.50"));
        assertThat(CanonicalBson.value(new BsonDecimal128(Decimal128.parse("-0.00"))))
                .isEqualTo(new BigDecimal("0.00"));
        assertThat(CanonicalBson.value(new BsonDecimal128(Decimal128.NaN))).isEqualTo("NaN");
        assertThat(CanonicalBson.value(new BsonDecimal128(Decimal128.NEGATIVE_INFINITY)))
                .isEqualTo("-Infinity");
    }

    @Test
    void datesAreWrittenAsCanonicalTemporalWritesATimestamptz() {
        Random random = new Random(11);
        long[] edges = {0, -1, 1, 253_402_300_799_999L, 253_402_300_800_000L, -62_167_219_200_000L, -62_167_219_200_001L
        };
        for (long millis : edges) {
            assertThat(CanonicalBson.value(new BsonDateTime(millis))).isEqualTo(timestamptz(millis));
        }
        for (int i = 0; i < 10_000; i++) {
            // ±200,000 years: inside CanonicalTemporal's microsecond range.
            long millis = (long) ((random.nextDouble() * 2 - 1) * 6.3e15);
            assertThat(CanonicalBson.value(new BsonDateTime(millis))).isEqualTo(timestamptz(millis));
        }
    }

    @Test
    void datesPastTheMicrosecondRangeStillHaveAForm() {
        assertThat(CanonicalBson.value(new BsonDateTime(Long.MAX_VALUE)))
                .isEqualTo("+292278994-08-17T07:12:55.807000Z");
    }

    @Test
    void binaryIsBase64AndUuidSubtypesTheirText() {
        UUID uuid = UUID.fromString("0f8fad5b-d9cb-469f-a165-70867728950e");
        assertThat(CanonicalBson.value(new BsonBinary(uuid, UuidRepresentation.STANDARD)))
                .isEqualTo(uuid.toString());
        assertThat(CanonicalBson.value(new BsonBinary(uuid, UuidRepresentation.JAVA_LEGACY)))
                .isEqualTo(uuid.toString());
        assertThat(CanonicalBson.value(new BsonBinary(BsonBinarySubType.BINARY, new byte[] {1, 2, 3})))
                .isEqualTo("AQID");
    }

    @Test
    void documentsAndArraysNestInFieldOrder() {
        BsonDocument doc = new BsonDocument()
                .append("z", new BsonString("last?"))
                .append("a", new BsonArray(List.of(new BsonInt32(1), new BsonDocument("k", BsonNull.VALUE))));
        Map<String, Object> row = CanonicalBson.document(doc);
        assertThat(row.keySet()).containsExactly("z", "a");
        assertThat(row.get("a")).isEqualTo(List.of(1L, java.util.Collections.singletonMap("k", null)));
    }

    private static String timestamptz(long millis) {
        return CanonicalTemporal.formatTimestamptz(CanonicalTemporal.fromUnix(
                Math.floorDiv(millis, 1_000L), (int) Math.floorMod(millis, 1_000L) * 1_000_000));
    }
}
