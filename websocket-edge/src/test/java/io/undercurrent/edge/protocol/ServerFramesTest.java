package io.undercurrent.edge.protocol;

import static org.assertj.core.api.Assertions.assertThat;

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
    void closeCodesSayWhetherToReconnect() {
        assertThat(CloseCode.PROTOCOL_VIOLATION.code()).isEqualTo(4400);
        assertThat(CloseCode.PROTOCOL_VIOLATION.shouldReconnect()).isFalse();
        assertThat(CloseCode.SLOW_CONSUMER.code()).isEqualTo(4429);
        assertThat(CloseCode.SLOW_CONSUMER.shouldReconnect()).isTrue();
        assertThat(CloseCode.GOING_AWAY.code()).isEqualTo(1001);
        assertThat(ErrorCode.TOKEN_EXPIRED.wire()).isEqualTo("token_expired");
    }
}
