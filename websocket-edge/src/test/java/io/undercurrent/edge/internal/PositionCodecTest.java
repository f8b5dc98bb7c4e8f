package io.undercurrent.edge.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.undercurrent.rules.TableRef;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PositionCodecTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TableRef TODOS = new TableRef("app", "public.todos");

    private final PositionCodec codec = new PositionCodec("a secret shared by every edge", "undercurrent");

    private ResumePosition position() {
        return new ResumePosition(
                true,
                codec.query(TODOS, json("{\"where\":{\"done\":{\"eq\":false}}}")),
                codec.identity(Map.of("sub", "alice", "exp", 1)),
                codec.rules("v7"),
                "741:745:742",
                new long[] {12, 0, 99},
                new String[] {"pg:0000000000000001:0000000000000002", null, "pg:00000000000000ff:0000000000000100"});
    }

    @Test
    void aPositionReadsBackAsWritten() {
        String text = codec.encode(position());
        assertThat(text).startsWith("u1.");
        assertThat(codec.decode(text)).isEqualTo(position());
    }

    @Test
    void anyOtherEdgeOfTheDeploymentReadsIt() {
        PositionCodec otherEdge = new PositionCodec("a secret shared by every edge", "undercurrent");
        assertThat(otherEdge.decode(codec.encode(position()))).isEqualTo(position());
    }

    @Test
    void aPositionOfAnotherDeploymentIsNotOurs() {
        String text = codec.encode(position());
        assertThat(new PositionCodec("another secret", "undercurrent").decode(text))
                .isNull();
        assertThat(new PositionCodec("a secret shared by every edge", "staging").decode(text))
                .isNull();
        assertThat(new PositionCodec(null, "undercurrent").decode(text)).isNull();
    }

    @Test
    void everyAlteredByteIsDetected() {
        String text = codec.encode(position());
        byte[] bytes = Base64.getUrlDecoder().decode(text.substring(3));
        for (int i = 0; i < bytes.length; i++) {
            byte[] altered = bytes.clone();
            altered[i] ^= 0x01;
            String tampered = "u1." + Base64.getUrlEncoder().withoutPadding().encodeToString(altered);
            assertThat(codec.decode(tampered)).as("byte %d altered", i).isNull();
        }
    }

    @Test
    void garbageIsNotAPositionAndNeverThrows() {
        for (String text : new String[] {
            null,
            "",
            "u1.",
            "u1.!!!",
            "snapshot:741:745:",
            "u1.AAAA",
            "u2." + "A".repeat(40),
            "u1." + "A".repeat(20_000)
        }) {
            assertThat(codec.decode(text)).as(String.valueOf(text)).isNull();
        }
    }

    @Test
    void theQueryDigestIgnoresKeyOrderIdTypeAndAfterButNothingElse() {
        byte[] a = codec.query(
                TODOS, json("{\"type\":\"subscribe\",\"id\":\"q1\",\"where\":{\"a\":{\"eq\":1},\"b\":{\"eq\":2}}}"));
        byte[] b = codec.query(
                TODOS, json("{\"where\":{\"b\":{\"eq\":2},\"a\":{\"eq\":1}},\"id\":\"q9\",\"after\":\"u1.x\"}"));
        assertThat(a).isEqualTo(b);
        assertThat(codec.query(TODOS, json("{\"where\":{\"a\":{\"eq\":1},\"b\":{\"eq\":3}}}")))
                .isNotEqualTo(a);
        assertThat(codec.query(
                        new TableRef("app", "public.other"), json("{\"where\":{\"a\":{\"eq\":1},\"b\":{\"eq\":2}}}")))
                .isNotEqualTo(a);
        assertThat(codec.query(TODOS, json("{\"where\":{\"a\":{\"eq\":1},\"b\":{\"eq\":2}},\"limit\":5}")))
                .isNotEqualTo(a);
    }

    @Test
    void theIdentityIsTheStableClaims() {
        Map<String, Object> first = new HashMap<>(Map.of("sub", "alice", "role", "user", "exp", 100, "iat", 1));
        Map<String, Object> refreshed = new HashMap<>(Map.of("sub", "alice", "role", "user", "exp", 200, "jti", "x"));
        assertThat(codec.identity(first)).isEqualTo(codec.identity(refreshed));
        assertThat(codec.identity(Map.of("sub", "bob", "role", "user"))).isNotEqualTo(codec.identity(first));
        assertThat(codec.identity(null)).isNotEqualTo(codec.identity(first));
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }
}
