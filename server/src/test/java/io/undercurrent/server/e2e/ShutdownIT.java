package io.undercurrent.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.undercurrent.embedded.ChildJvm;
import io.undercurrent.server.cli.Main;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged executable ({@code target/undercurrent.jar}, exactly what the README runs) starts the
 * embedded default, and stops cleanly on SIGTERM: every part in reverse order, the engine before the
 * database, nothing left running. Integration tests run after {@code package}, so the jar exists.
 */
class ShutdownIT {

    @TempDir
    Path dataDir;

    @Test
    void sigtermStopsEveryPartInOrderAndLeavesNothingRunning() throws Exception {
        Path jar = Path.of("target", "undercurrent.jar").toAbsolutePath();
        assertThat(jar)
                .as("the shaded jar is built by `package`, before integration tests")
                .exists();
        ChildJvm.Options options = ChildJvm.Options.of(Main.class)
                .withClasspath(jar.toString())
                .withArgs("run")
                .withName("server")
                .withEnvironment("UNDERCURRENT_EMBEDDED_DATA_DIR", dataDir.toString())
                .withEnvironment("UNDERCURRENT_EMBEDDED_POSTGRES_PORT", "0")
                .withEnvironment("UNDERCURRENT_EMBEDDED_KAFKA_PORT", "0")
                .withEnvironment("UNDERCURRENT_HTTP_PORT", "0")
                .withEnvironment(
                        "UNDERCURRENT_RULES_DIR",
                        Path.of("..", "rules").toAbsolutePath().normalize().toString());
        try (ChildJvm server = ChildJvm.start(options)) {
            server.awaitOutputLine(Pattern.compile(".*Undercurrent is running.*"), Duration.ofSeconds(120));
            server.awaitOutputLine(Pattern.compile(".*source 'app' is streaming.*"), Duration.ofSeconds(60));
            String ready = server.awaitOutputLine(
                    Pattern.compile(".*PostgreSQL ready on localhost:(\\d+).*"), Duration.ofSeconds(5));
            int postgresPort = Integer.parseInt(ready.replaceAll(".*PostgreSQL ready on localhost:(\\d+).*", "$1"));

            int exit = server.stop(Duration.ofSeconds(60));

            assertThat(exit).as("exit code after SIGTERM").isIn(0, 143);
            List<String> out = server.output();
            int http = indexOf(out, "http stopped");
            int edge = indexOf(out, "edge stopped");
            int router = indexOf(out, "router stopped");
            int ingest = indexOf(out, "ingest stopped");
            int embedded = indexOf(out, "embedded stopped");
            assertThat(List.of(http, edge, router, ingest, embedded))
                    .as("stop order in %s", out)
                    .isSorted()
                    .doesNotContain(-1);
            assertThat(canConnect(postgresPort))
                    .as("PostgreSQL is no longer running")
                    .isFalse();
            assertThat(out).noneMatch(line -> line.contains("ERROR") || line.contains("did not stop cleanly"));
        }
    }

    private static int indexOf(List<String> lines, String text) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(text)) {
                return i;
            }
        }
        return -1;
    }

    private static boolean canConnect(int port) {
        try (Socket ignored = new Socket("localhost", port)) {
            return true;
        } catch (Exception e) {
            return false;
        }
    }
}
