package io.undercurrent.edge.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServerFramesTest {

    private final ServerFrames frames = new ServerFrames();

    @Test
    void framesHaveTheDocumentedShape() {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", 1L);
        row.put("price", new BigDecimal("10.50"));
        row.put("note", null);
        assertThat(frames.snapshot("q1", List.of("id"), List.of(row), "snapshot:1:2:"))
                .isEqualTo(
                        "{\"type\":\"snapshot\",\"id\":\"q1\",\"keyColumns\":[\"id\"],\"rows\":[{\"id\":1,\"price\":10.50,\"note\":null}],"
                                + "\"position\":\"snapshot:1:2:\"}");
        Map<String, Object> removed = new LinkedHashMap<>();
        removed.put("op", "removed");
        removed.put("key", Map.of("id", 1L));
        assertThat(frames.changes("q1", List.of(removed), "lsn:9", 5L))
                .isEqualTo("{\"type\":\"changes\",\"id\":\"q1\",\"changes\":[{\"op\":\"removed\",\"key\":{\"id\":1}}],"
                        + "\"position\":\"lsn:9\",\"committedAt\":5}");
        assertThat(frames.error(null, ErrorCode.INVALID_QUERY, "where.x: unknown column"))
                .isEqualTo("{\"type\":\"error\",\"code\":\"invalid_query\",\"message\":\"where.x: unknown column\"}");
        assertThat(frames.pong("p")).isEqualTo("{\"type\":\"pong\",\"id\":\"p\"}");
        assertThat(frames.ready("a", null))
                .isEqualTo("{\"type\":\"ready\",\"id\":\"a\",\"expiresAt\":null,\"features\":[\"resume\"]}");
        assertThat(frames.resumed("q1")).isEqualTo("{\"type\":\"resumed\",\"id\":\"q1\"}");
        assertThat(frames.reset("q1", "rules changed"))
                .isEqualTo("{\"type\":\"reset\",\"id\":\"q1\",\"reason\":\"rules changed\"}");
        assertThat(frames.unsubscribed("q1")).isEqualTo("{\"type\":\"unsubscribed\",\"id\":\"q1\"}");
    }

    @Test
    void aChangesFrameIsWhatJacksonWritesForTheFrameWhateverItsIdAndPosition() throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        List<Map<String, Object>> changes = List.of(change("added", Map.of("id", 1L), row(1L, "a \"quoted\" é\n")));
        for (String id : new String[] {"q1", "q\"\\/\u0001é😀", null}) {
            for (String position : new String[] {"u1.AbC-_", "", null}) {
                Map<String, Object> f = new LinkedHashMap<>();
                f.put("type", "changes");
                if (id != null) {
                    f.put("id", id);
                }
                f.put("changes", changes);
                f.put("position", position);
                f.put("committedAt", 42L);
                assertThat(frames.changes(id, changes, position, 42L)).isEqualTo(mapper.writeValueAsString(f));
            }
        }
    }

    @Test
    void subscribersSendingTheSameChangeObjectsGetTheSameBodyWrittenOnce() {
        Counted title = new Counted("first");
        Map<String, Object> key = Map.of("id", 1L);
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", 1L);
        row.put("title", title);
        String first = frames.changes("a", List.of(change("added", key, row)), "p1", 1L);
        // another subscriber: its own change maps and lists, holding the same key and row objects
        String second = frames.changes("b", List.of(change("added", key, row)), "p2", 1L);
        assertThat(title.written).isEqualTo(1);
        assertThat(first)
                .isEqualTo("{\"type\":\"changes\",\"id\":\"a\",\"changes\":[{\"op\":\"added\",\"key\":{\"id\":1},"
                        + "\"row\":{\"id\":1,\"title\":\"first\"}}],\"position\":\"p1\",\"committedAt\":1}");
        assertThat(second).isEqualTo(first.replace("\"a\"", "\"b\"").replace("p1", "p2"));
        // a row of equal value but another object is written again
        frames.changes("c", List.of(change("added", key, new LinkedHashMap<>(row))), "p3", 1L);
        assertThat(title.written).isEqualTo(2);
    }

    /** A value that counts how often it is written. */
    static final class Counted {
        private final String text;
        int written;

        Counted(String text) {
            this.text = text;
        }

        @JsonValue
        String json() {
            written++;
            return text;
        }
    }

    @Test
    void aChangeOfEqualButOtherObjectsOrOfAnotherOpIsWrittenAfresh() {
        Map<String, Object> key = Map.of("id", 1L);
        frames.changes("a", List.of(change("added", key, row(1L, "first"))), "p", 1L);
        assertThat(frames.changes("b", List.of(change("added", key, row(1L, "second"))), "p", 1L))
                .contains("\"title\":\"second\"");
        Map<String, Object> row = row(1L, "third");
        frames.changes("a", List.of(change("added", key, row)), "p", 1L);
        assertThat(frames.changes("b", List.of(change("changed", key, row)), "p", 1L))
                .contains("\"op\":\"changed\"");
        assertThat(frames.changes("c", List.of(change("changed", key, row), change("removed", key, null)), "p", 1L))
                .contains("\"op\":\"removed\"");
    }

    @Test
    void sameObjectsComparesMapsEntryByEntryByIdentityOfTheValues() {
        Map<String, Object> row = row(1L, "x");
        assertThat(ServerFrames.sameObjects(List.of(change("added", row, row)), List.of(change("added", row, row))))
                .isTrue();
        assertThat(ServerFrames.sameObjects(
                        List.of(change("added", row, row)), List.of(change("added", row, row(1L, "x")))))
                .isFalse();
        assertThat(ServerFrames.sameObjects(List.of(change("added", row, row)), List.of()))
                .isFalse();
        Map<String, Object> reordered = new LinkedHashMap<>();
        reordered.put("key", row);
        reordered.put("op", "added");
        reordered.put("row", row);
        assertThat(ServerFrames.sameObjects(List.of(change("added", row, row)), List.of(reordered)))
                .isFalse();
    }

    private static Map<String, Object> row(long id, String title) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", id);
        row.put("title", title);
        return row;
    }

    private static Map<String, Object> change(String op, Map<String, Object> key, Map<String, Object> row) {
        Map<String, Object> change = new LinkedHashMap<>();
        change.put("op", op);
        change.put("key", key);
        if (row != null) {
            change.put("row", row);
        }
        return change;
    }

    @Test
    void closeCodesSayWhetherToReconnect() {
        assertThat(CloseCode.PROTOCOL_VIOLATION.code()).isEqualTo(4400);
        assertThat(CloseCode.PROTOCOL_VIOLATION.shouldReconnect()).isFalse();
        assertThat(CloseCode.SLOW_CONSUMER.code()).isEqualTo(4429);
        assertThat(CloseCode.SLOW_CONSUMER.shouldReconnect()).isTrue();
        assertThat(CloseCode.GOING_AWAY.code()).isEqualTo(1001);
        assertThat(ErrorCode.TOKEN_EXPIRED.wire()).isEqualTo("token_expired");
    }
}
