package io.undercurrent.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChildJvmIT {

    private static final Pattern READY = Pattern.compile("child ready pid=(\\d+)");
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Test
    void killHardEndsTheProcessWithoutShutdownHooks() {
        try (ChildJvm child = ChildJvm.start(ChildJvm.Options.of(ChildJvmTestMain.class))) {
            String line = child.awaitOutputLine(READY, TIMEOUT);
            assertThat(line).isEqualTo("child ready pid=" + child.pid());

            child.killHard();

            assertThat(child.isAlive()).isFalse();
            assertThat(ProcessHandle.of(child.pid()).filter(ProcessHandle::isAlive))
                    .isEmpty();
            assertThat(child.exitCode()).hasValue(137);
            assertThat(child.output()).noneMatch(l -> l.contains("shutdown hook ran"));
        }
    }

    @Test
    void stopSendsSigtermSoShutdownHooksRun(@TempDir Path dir) throws IOException {
        Path log = dir.resolve("child.log");
        try (ChildJvm child =
                ChildJvm.start(ChildJvm.Options.of(ChildJvmTestMain.class).withOutputFile(log))) {
            child.awaitOutputLine(READY, TIMEOUT);

            assertThat(child.stop(TIMEOUT)).isEqualTo(143);

            assertThat(child.awaitOutputLine(Pattern.compile("shutdown hook ran"), TIMEOUT))
                    .isNotEmpty();
        }
        assertThat(Files.readAllLines(log)).anyMatch(READY.asPredicate()).contains("shutdown hook ran");
    }

    @Test
    void awaitingALineThatNeverComesReportsTheExitAndTheLastLines() {
        try (ChildJvm child =
                ChildJvm.start(ChildJvm.Options.of(ChildJvmTestMain.class).withArgs("exit", "3"))) {
            assertThatThrownBy(() -> child.awaitOutputLine(Pattern.compile("never printed"), TIMEOUT))
                    .isInstanceOf(EmbeddedException.class)
                    .hasMessageContaining("exited with code 3")
                    .hasMessageContaining("exiting on request");
        }
    }
}
