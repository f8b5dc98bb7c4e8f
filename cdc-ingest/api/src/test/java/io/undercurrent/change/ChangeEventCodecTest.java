package io.undercurrent.change;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChangeEventCodecTest {

    private final ChangeEventCodec codec = new ChangeEventCodec();

    @Test
    void roundTripKeepsCanonicalValuesExact() {
        Map<String, Object> after = new LinkedHashMap<>();
        after.put("id", 7L);
        after.put("price", new BigDecimal("12345678901234567890.123456789"));
        after.put("title", "héllo \"quoted\"");
        after.put("tags", List.of("a", "b"));
        after.put("doc", Map.of("nested", Map.of("n", 1L)));
        after.put("note", null);
        ChangeEvent event = new ChangeEvent(
                1,
                "app",
                "public.todos",
                Operation.INSERT,
                Map.of("id", 7L),
                null,
                after,
                List.of(),
                "lsn:42",
                "731",
                1_700_000_000_000L,
                1_700_000_000_005L);

        ChangeEvent back = codec.decode(codec.encode(event));

        assertThat(back).isEqualTo(event);
        assertThat(back.after().get("price")).isEqualTo(new BigDecimal("12345678901234567890.123456789"));
        assertThat(back.after()).containsEntry("note", null);
    }

    @Test
    void decimalsAreWrittenPlainNeverInExponentForm() {
        ChangeEvent event = new ChangeEvent(
                1,
                "app",
                "t",
                Operation.INSERT,
                Map.of("id", 1L),
                null,
                Map.of("id", 1L, "x", new BigDecimal("1E+3")),
                List.of(),
                "p",
                null,
                0,
                0);
        assertThat(new String(codec.encode(event), StandardCharsets.UTF_8)).contains("\"x\":1000");
    }

    @Test
    void rejectsEventsWithoutKeyOrWithWrongImages() {
        assertThatThrownBy(() -> new ChangeEvent(
                        1, "app", "t", Operation.INSERT, Map.of(), null, Map.of(), null, "p", null, 0, 0))
                .hasMessageContaining("no key");
        assertThatThrownBy(() -> new ChangeEvent(
                        1, "app", "t", Operation.DELETE, Map.of("id", 1L), Map.of(), Map.of(), null, "p", null, 0, 0))
                .hasMessageContaining("must not carry an after image");
    }

    @Test
    void malformedBytesAndUnknownVersionsAreReportedNotThrownRaw() {
        assertThatThrownBy(() -> codec.decode("{not json".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(MalformedChangeException.class);
        String v2 =
                "{\"version\":2,\"source\":\"app\",\"table\":\"t\",\"op\":\"INSERT\",\"key\":{\"id\":1},\"after\":{\"id\":1}}";
        assertThatThrownBy(() -> codec.decode(v2.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(MalformedChangeException.class)
                .hasMessageContaining("version 2");
    }

    @Test
    void keyBytesAreStableForTheSameRow() {
        Map<String, Object> k1 = new LinkedHashMap<>();
        k1.put("tenant", "a");
        k1.put("id", 1L);
        assertThat(codec.encodeKey("public.t", k1)).isEqualTo(codec.encodeKey("public.t", new LinkedHashMap<>(k1)));
        assertThat(new String(codec.encodeKey("public.t", k1), StandardCharsets.UTF_8))
                .isEqualTo("{\"table\":\"public.t\",\"key\":{\"tenant\":\"a\",\"id\":1}}");
    }

    @Test
    void topicNamesRejectIllegalCharacters() {
        Topics topics = new Topics("uc");
        assertThat(topics.changes("app")).isEqualTo("uc.changes.app");
        assertThat(topics.allChanges().matcher("uc.changes.app").matches()).isTrue();
        assertThatThrownBy(() -> topics.changes("a/b")).hasMessageContaining("source name 'a/b'");
    }

    /** Holds a tree, as a subscription record holds the client's frame. */
    record Holder(JsonNode tree) {}

    @Test
    void treesReadIntegersPast64BitsInsteadOfRefusingThem() throws Exception {
        ObjectMapper mapper = ChangeEventCodec.canonicalMapper();
        JsonNode tree = mapper.readTree(
                "{\"small\":1,\"long\":9223372036854775807,\"big\":18446744073709551616,\"decimal\":1.50}");
        assertThat(tree.get("small")).isEqualTo(LongNode.valueOf(1));
        assertThat(tree.get("long")).isEqualTo(LongNode.valueOf(Long.MAX_VALUE));
        assertThat(tree.get("big").bigIntegerValue()).isEqualTo(new BigInteger("18446744073709551616"));
        assertThat(tree.get("decimal").isBigDecimal()).isTrue();
        assertThat(tree.get("decimal").decimalValue()).isEqualByComparingTo("1.5");

        // A decimal without fraction is written plain, as an integer; it must read back.
        Holder holder = new Holder(mapper.readTree("{\"x\":1e400,\"y\":null}"));
        Holder back = mapper.readValue(mapper.writeValueAsBytes(holder), Holder.class);
        assertThat(back.tree().get("x").bigIntegerValue()).isEqualTo(BigInteger.TEN.pow(400));
        assertThat(back.tree().get("y")).isEqualTo(NullNode.instance);
        assertThat(mapper.readValue("{\"tree\":null}", Holder.class).tree()).isEqualTo(NullNode.instance);
        assertThat(mapper.readValue("{}", Holder.class).tree()).isNull();
    }

    @Test
    void aNumberTooLargeToReadIsMalformedJson() {
        ObjectMapper mapper = ChangeEventCodec.canonicalMapper();
        assertThatThrownBy(() -> mapper.readTree("{\"x\":1e309223372036854775808}"))
                .isInstanceOf(JsonProcessingException.class)
                .hasMessageContaining("a number is out of range");
    }

    @Test
    void aWatermarkRoundTripsAndAReaderDecodingItAsAChangeSkipsItAsUnreadable() {
        Watermark watermark = new Watermark("app", "731:735:733", 1_700_000_000_000L);

        byte[] bytes = codec.encodeWatermark(watermark);

        assertThat(codec.decodeWatermark(bytes)).isEqualTo(watermark);
        assertThatThrownBy(() -> codec.decode(bytes))
                .as("a reader that predates watermarks skips one rather than routing it")
                .isInstanceOf(MalformedChangeException.class);
        assertThatThrownBy(() -> codec.decodeWatermark(codec.encode(new ChangeEvent(
                        1,
                        "app",
                        "t",
                        Operation.INSERT,
                        Map.of("id", 1L),
                        null,
                        Map.of("id", 1L),
                        List.of(),
                        null,
                        "731",
                        0,
                        0))))
                .isInstanceOf(MalformedChangeException.class);
    }
}
