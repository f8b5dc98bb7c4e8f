package io.undercurrent.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.undercurrent.server.config.LogFormat;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** log.format=json turns every log line into one JSON object; text brings the usual lines back. */
class LogOutputTest {

    @Test
    void jsonLinesAndBack() throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            LogOutput.use(LogFormat.JSON);
            LoggerFactory.getLogger("io.undercurrent.test").info("hello {}", "json");
            LogOutput.use(LogFormat.TEXT);
            LoggerFactory.getLogger("io.undercurrent.test").info("hello {}", "text");
        } finally {
            System.setOut(original);
            LogOutput.use(LogFormat.TEXT);
        }
        String[] lines = captured.toString(StandardCharsets.UTF_8).strip().split("\n");
        assertThat(lines).hasSize(2);
        JsonNode json = new ObjectMapper().readTree(lines[0]);
        assertThat(json.path("message").asText()).isEqualTo("hello json");
        assertThat(json.path("log.level").asText()).isEqualTo("INFO");
        assertThat(json.path("log.logger").asText()).isEqualTo("io.undercurrent.test");
        assertThat(json.has("@timestamp")).isTrue();
        assertThat(lines[1]).contains("INFO").contains("hello text").doesNotStartWith("{");
    }

    /**
     * One logging context for the process: with log4j's default selector every slf4j getLogger call
     * walked the stack to find its caller's class loader, a tenth of the server's start-up CPU.
     */
    @Test
    void oneLoggingContextForTheWholeProcess() {
        assertThat(org.apache.logging.log4j.LogManager.getFactory().isClassLoaderDependent())
                .as("log4j2.component.properties picks BasicContextSelector")
                .isFalse();
    }
}
