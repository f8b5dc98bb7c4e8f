package io.undercurrent.edge.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.undercurrent.edge.protocol.ClientFrame;
import io.undercurrent.edge.protocol.ErrorCode;
import io.undercurrent.edge.protocol.FrameParser;
import io.undercurrent.edge.protocol.ProtocolException;
import io.undercurrent.edge.protocol.ServerFrames;
import io.undercurrent.query.InvalidQueryException;
import io.undercurrent.query.LiveQuery;
import io.undercurrent.query.LiveQueryParser;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzes what the edge does with a client's text frame up to the answer it sends: the frame parser,
 * the token verifier for {@code auth}, the live-query parser for {@code subscribe} (the steps
 * {@link FrameHandler} and {@link LiveQueries} take before anything needs a database or Kafka), and
 * the error frame. Any text must end in a documented answer: never another exception, never a stack
 * trace or class name in the message, never a hang.
 *
 * <p>Inputs are UTF-8 text frames; the seeds are in {@code FrameHandlingFuzzTestInputs/frame}. Run in
 * regression mode by {@code mvn verify}; see the module README for fuzzing.
 */
class FrameHandlingFuzzTest {

    private static final FrameParser FRAMES_IN = new FrameParser();
    private static final ServerFrames FRAMES_OUT = new ServerFrames();
    private static final TokenVerifier VERIFIER =
            new TokenVerifier(EdgeFuzzing.SECRET, EdgeFuzzing.CLOCK, EdgeFuzzing.SKEW, true);
    private static final LiveQueryParser QUERIES = new LiveQueryParser();
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final Set<ErrorCode> AUTH_REFUSALS = EnumSet.of(ErrorCode.UNAUTHENTICATED, ErrorCode.TOKEN_EXPIRED);
    private static final Set<String> ANSWERS = Set.of("ready", "pong", "error", "accepted");

    @FuzzTest
    @Timeout(value = 10, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    @DictionaryEntries({
        "\"type\"",
        "\"id\"",
        "\"auth\"",
        "\"token\"",
        "\"subscribe\"",
        "\"unsubscribe\"",
        "\"ping\"",
        "\"table\"",
        "\"public.todos\"",
        "\"source\"",
        "\"app\"",
        "\"where\"",
        "\"fields\"",
        "\"orderBy\"",
        "\"limit\"",
        "\"eq\"",
        "\"ne\"",
        "\"lt\"",
        "\"lte\"",
        "\"gt\"",
        "\"gte\"",
        "\"in\"",
        "\"nin\"",
        "\"isNull\"",
        "\"and\"",
        "\"or\"",
        "\"not\"",
        "\"asc\"",
        "\"desc\"",
        "\"id\"",
        "\"owner_id\"",
        "\"score\"",
        "\"ratio\"",
        "\"created_at\"",
        "\"due\"",
        "\"uid\"",
        "\"tags\"",
        "\"blob\"",
        "\"meta\"",
        "\"done\"",
        "\"code\"",
        "1e400",
        "-0.0",
        "9223372036854775808",
        "\"NaN\"",
        "\"Infinity\"",
        "\"infinity\""
    })
    void frame(byte[] input) throws Exception {
        String text = new String(input, StandardCharsets.UTF_8);
        ClientFrame frame;
        try {
            frame = FRAMES_IN.parse(text);
        } catch (ProtocolException e) {
            assertThat(e.code())
                    .as("a frame that does not parse is a bad request")
                    .isEqualTo(ErrorCode.BAD_REQUEST);
            errorFrame(e, text);
            return;
        }
        String answer;
        try {
            answer = handle(frame);
        } catch (ProtocolException e) {
            assertThat(e.requestId()).as("a refusal names the request").isEqualTo(frame.id());
            answer = errorFrame(e, text);
        }
        JsonNode reply = JSON.readTree(answer);
        assertThat(reply.path("type").asText()).isIn(ANSWERS);
        assertThat(reply.path("id").textValue())
                .as("the answer carries the request's id")
                .isEqualTo(frame.id());
    }

    /** The error frame a client is sent for {@code e}: its code is documented, its message safe. */
    private static String errorFrame(ProtocolException e, String input) throws Exception {
        String frame = FRAMES_OUT.error(e.requestId(), e.code(), e.getMessage());
        JsonNode error = JSON.readTree(frame);
        assertThat(error.path("type").asText()).isEqualTo("error");
        assertThat(error.path("code").asText()).isEqualTo(e.code().wire());
        ClientVisible.assertSafe(error.path("message").asText(), input);
        return frame;
    }

    /** The frame's answer, or the refusal {@link FrameHandler} and {@link LiveQueries} would send. */
    private static String handle(ClientFrame frame) throws Exception {
        if (frame instanceof ClientFrame.Auth auth) {
            assertThat(auth.token()).isNotEmpty();
            try {
                TokenVerifier.Verified verified = VERIFIER.verify(auth.token(), auth.id());
                return FRAMES_OUT.ready(auth.id(), verified.expiresAt());
            } catch (ProtocolException e) {
                assertThat(e.code()).isIn(AUTH_REFUSALS);
                throw e;
            }
        }
        if (frame instanceof ClientFrame.Subscribe subscribe) {
            assertThat(subscribe.id()).isNotEmpty().hasSizeLessThanOrEqualTo(128);
            assertThat(subscribe.table()).isNotEmpty();
            assertThat(subscribe.query().isObject()).isTrue();
            String source = subscribe.source() == null ? "app" : subscribe.source();
            if (!source.equals(EdgeFuzzing.TODOS.source()) || !subscribe.table().equals(EdgeFuzzing.TODOS.table())) {
                throw new ProtocolException(ErrorCode.UNKNOWN_TABLE, subscribe.id(), "no such table");
            }
            try {
                LiveQuery query = QUERIES.parse(subscribe.query(), EdgeFuzzing.TODOS);
                assertThat(query.table()).isEqualTo(EdgeFuzzing.TODOS.table());
            } catch (InvalidQueryException e) {
                throw new ProtocolException(ErrorCode.INVALID_QUERY, subscribe.id(), e.getMessage());
            }
            return "{\"type\":\"accepted\",\"id\":" + JSON.writeValueAsString(subscribe.id()) + "}";
        }
        if (frame instanceof ClientFrame.Unsubscribe unsubscribe) {
            assertThat(unsubscribe.id()).isNotEmpty();
            return FRAMES_OUT.error(
                    unsubscribe.id(),
                    ErrorCode.BAD_REQUEST,
                    "no open subscription with id \"" + unsubscribe.id() + "\"");
        }
        if (frame instanceof ClientFrame.Ping ping) {
            return FRAMES_OUT.pong(ping.id());
        }
        return fail("unknown frame " + frame);
    }
}
