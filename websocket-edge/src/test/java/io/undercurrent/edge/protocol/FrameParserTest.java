package io.undercurrent.edge.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FrameParserTest {

    private final FrameParser parser = new FrameParser();

    @Test
    void parsesEveryClientFrame() throws Exception {
        assertThat(parser.parse("{\"type\":\"auth\",\"token\":\"t\",\"id\":\"a\"}"))
                .isEqualTo(new ClientFrame.Auth("a", "t"));
        assertThat(parser.parse("{\"type\":\"ping\"}")).isEqualTo(new ClientFrame.Ping(null));
        assertThat(parser.parse("{\"type\":\"unsubscribe\",\"id\":\"q1\"}"))
                .isEqualTo(new ClientFrame.Unsubscribe("q1"));
        ClientFrame.Subscribe s = (ClientFrame.Subscribe)
                parser.parse(
                        "{\"type\":\"subscribe\",\"id\":\"q1\",\"table\":\"public.todos\",\"where\":{\"done\":{\"eq\":false}}}");
        assertThat(s.id()).isEqualTo("q1");
        assertThat(s.table()).isEqualTo("public.todos");
        assertThat(s.source()).isNull();
        assertThat(s.query().path("where").path("done").path("eq").asBoolean(true))
                .isFalse();
    }

    @Test
    void readsIntegersPast64BitsExactly() throws Exception {
        ClientFrame.Subscribe s = (ClientFrame.Subscribe)
                parser.parse(
                        "{\"type\":\"subscribe\",\"id\":\"q1\",\"table\":\"public.todos\",\"where\":{\"id\":{\"lt\":99999999999999999999}}}");
        assertThat(s.query().path("where").path("id").path("lt").bigIntegerValue())
                .hasToString("99999999999999999999");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "{not json                                          | not valid JSON",
                "[1,2]                                              | must be a JSON object",
                "\"text\"                                           | must be a JSON object",
                "{}                                                 | has no \"type\"",
                "{\"type\":7}                                       | \"type\" must be a string",
                "{\"type\":\"explode\"}                             | unknown frame type \"explode\"",
                "{\"type\":\"auth\"}                                | \"token\" is required",
                "{\"type\":\"auth\",\"token\":{}}                   | \"token\" must be a string",
                "{\"type\":\"subscribe\",\"table\":\"t\"}           | needs an \"id\"",
                "{\"type\":\"subscribe\",\"id\":\"q\"}              | \"table\" is required",
                "{\"type\":\"subscribe\",\"id\":\"q\",\"table\":1}  | \"table\" must be a string",
                "{\"type\":\"unsubscribe\"}                         | needs the \"id\"",
                "{\"type\":\"ping\",\"id\":\"\"}                    | \"id\" must be 1 to 128 characters",
                "{\"type\":\"ping\",\"n\":1e309223372036854775808}    | not valid JSON: a number is out of range",
            })
    void malformedFramesAreBadRequestsThatSayWhatIsWrong(String frame, String message) {
        assertThatThrownBy(() -> parser.parse(frame))
                .isInstanceOfSatisfying(
                        ProtocolException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_REQUEST))
                .hasMessageContaining(message);
    }

    @Test
    void anErrorKeepsTheRequestIdWhenThereIsOne() {
        assertThatThrownBy(() -> parser.parse("{\"type\":\"auth\",\"id\":\"a9\"}"))
                .isInstanceOfSatisfying(
                        ProtocolException.class, e -> assertThat(e.requestId()).isEqualTo("a9"));
    }

    @Test
    void numbersPast64BitsAreValidJsonNotBadRequests() throws Exception {
        ClientFrame.Subscribe s = (ClientFrame.Subscribe)
                parser.parse(
                        "{\"type\":\"subscribe\",\"id\":\"q1\",\"table\":\"public.todos\",\"where\":{\"score\":{\"eq\":18446744073709551616}}}");
        assertThat(s.query().path("where").path("score").path("eq").bigIntegerValue())
                .isEqualTo(new java.math.BigInteger("18446744073709551616"));
    }
}
