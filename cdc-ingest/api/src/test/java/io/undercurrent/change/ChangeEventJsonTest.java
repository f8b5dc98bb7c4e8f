package io.undercurrent.change;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The codec writes and reads change events on Jackson's streaming API; the bytes and the values read
 * back must be exactly those of the mapper's record binding, which wrote every change topic before.
 */
class ChangeEventJsonTest {

    private final ObjectMapper mapper = ChangeEventCodec.canonicalMapper();
    private final ChangeEventCodec codec = new ChangeEventCodec();

    private static List<ChangeEvent> events() {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", 7L);
        row.put("price", new BigDecimal("12345678901234567890.123456789"));
        row.put("round", new BigDecimal("1E+3"));
        row.put("huge", new BigInteger("18446744073709551616"));
        row.put("title", "héllo \"quoted\" \u2028 \u0000 😀");
        row.put("done", true);
        row.put("ratio", 0.25d);
        row.put("small", 3);
        row.put("tags", List.of("a", "b"));
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("nested", Map.of("n", 1L));
        doc.put("list", List.of(1L, "x", Map.of()));
        row.put("doc", doc);
        row.put("note", null);
        Map<String, Object> old = new LinkedHashMap<>(row);
        old.put("done", false);
        List<ChangeEvent> events = new ArrayList<>();
        events.add(new ChangeEvent(
                1,
                "app",
                "public.todos",
                Operation.INSERT,
                Map.of("id", 7L),
                null,
                row,
                List.of(),
                "lsn:42",
                "731",
                1_700_000_000_000L,
                1_700_000_000_005L,
                new Transaction("731", 3, 2),
                "0000000000000002a"));
        events.add(new ChangeEvent(
                1,
                "app",
                "public.todos",
                Operation.UPDATE,
                Map.of("id", 7L),
                old,
                row,
                List.of("body", "blob"),
                "lsn:43",
                null,
                0,
                -1,
                null,
                null));
        events.add(new ChangeEvent(
                1, "m", "db.c", Operation.DELETE, Map.of("_id", "x"), old, null, null, null, null, 5, 6));
        events.add(new ChangeEvent(
                1, "m", "db.c", Operation.READ, Map.of("_id", "y"), null, Map.of("_id", "y"), null, "p", "t", 5, 6));
        return events;
    }

    @Test
    void writesTheBytesOfTheRecordBinding() throws Exception {
        for (ChangeEvent e : events()) {
            assertThat(new String(codec.encode(e), StandardCharsets.UTF_8))
                    .isEqualTo(new String(mapper.writeValueAsBytes(e), StandardCharsets.UTF_8));
        }
        Map<String, Object> key = new LinkedHashMap<>();
        key.put("tenant", "a 😀 é \u0001");
        key.put("amount", new BigDecimal("1E+2"));
        key.put("id", 1L);
        Map<String, Object> bound = new LinkedHashMap<>();
        bound.put("table", "public.t");
        bound.put("key", key);
        assertThat(codec.encodeKey("public.t", key)).isEqualTo(mapper.writeValueAsBytes(bound));
    }

    @Test
    void readsWhatTheRecordBindingReads() throws Exception {
        for (ChangeEvent e : events()) {
            byte[] bytes = mapper.writeValueAsBytes(e);
            ChangeEvent bound = mapper.readValue(bytes, ChangeEvent.class);
            ChangeEvent read = codec.decode(bytes);
            assertThat(read).isEqualTo(bound);
            if (read.after() != null) {
                assertThat(read.after()).containsExactlyEntriesOf(bound.after());
                for (String column : bound.after().keySet()) {
                    Object value = read.after().get(column);
                    assertThat(value == null ? null : value.getClass())
                            .as(column)
                            .isEqualTo(
                                    bound.after().get(column) == null
                                            ? null
                                            : bound.after().get(column).getClass());
                }
            }
        }
    }

    @Test
    void readsFieldsInAnyOrderSkipsUnknownOnesAndTakesEarlierVersionOnesForms() {
        String json = "{\"future\":{\"a\":[1,{\"b\":2}]},\"after\":{\"id\":1},\"key\":{\"id\":1},\"op\":\"INSERT\","
                + "\"table\":\"t\",\"source\":\"app\",\"version\":1,\"txId\":\"9\",\"commitTimeMs\":12}";
        ChangeEvent e = codec.decode(json.getBytes(StandardCharsets.UTF_8));
        assertThat(e.table()).isEqualTo("t");
        assertThat(e.key()).containsEntry("id", 1L);
        assertThat(e.txId()).isEqualTo("9");
        assertThat(e.commitTimeMs()).isEqualTo(12);
        assertThat(e.transaction()).isNull();
        assertThat(e.sourceOrder()).isNull();
        assertThat(e.unavailable()).isEmpty();
    }

    @Test
    void whatIsNotAChangeIsMalformed() {
        String base = "\"version\":1,\"source\":\"app\",\"table\":\"t\",\"op\":\"INSERT\",\"after\":{\"id\":1}";
        for (String json : new String[] {
            "[1]",
            "{" + base + "}",
            "{" + base + ",\"key\":[1]}",
            "{" + base + ",\"key\":\"id\"}",
            "{" + base + ",\"key\":{\"id\":1},\"op\":\"UPSERT\"}",
            "{" + base + ",\"key\":{\"id\":1},\"table\":{\"x\":1}}",
            "{" + base + ",\"key\":{\"id\":1},\"transaction\":{\"totalOrder\":1,\"dataCollectionOrder\":1}}",
            "{" + base + ",\"key\":{\"id\":1},\"unavailable\":{}}",
            "{" + base + ",\"key\":{\"id\":1}",
            "{\"watermarkVersion\":1,\"source\":\"app\",\"snapshot\":\"1:2:\",\"atMs\":5}",
        }) {
            assertThatThrownBy(() -> codec.decode(json.getBytes(StandardCharsets.UTF_8)))
                    .as(json)
                    .isInstanceOf(MalformedChangeException.class);
        }
    }
}
