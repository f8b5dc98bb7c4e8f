package io.undercurrent.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class BenchOptionsTest {

    private static final Path ROOT = Path.of("/project");

    @Test
    void defaultsAreTheIssuesLatencyScenario() {
        BenchOptions o = BenchOptions.parse(new String[0], ROOT);
        assertThat(o.mode()).isEqualTo("latency");
        assertThat(o.source()).isEqualTo("postgres");
        assertThat(o.rate()).isEqualTo(500);
        assertThat(o.clients()).isEqualTo(50);
        assertThat(o.writers()).isEqualTo(2);
        assertThat(o.peer()).isTrue();
        assertThat(o.launcher()).isEqualTo(ROOT.resolve("server/bin/undercurrent"));
    }

    @Test
    void readsEveryOption() {
        BenchOptions o = BenchOptions.parse(
                new String[] {
                    "--mode",
                    "fanout",
                    "--rate",
                    "1,000",
                    "--clients",
                    "1000",
                    "--probe-every",
                    "10",
                    "--no-peer",
                    "--profile",
                    "--warmup",
                    "0",
                    "--jvm-options",
                    "-Xmx1g -XX:+UseParallelGC",
                    "--set",
                    "ingest.poll-interval=1ms"
                },
                ROOT);
        assertThat(o.mode()).isEqualTo("fanout");
        assertThat(o.rate()).isEqualTo(1000);
        assertThat(o.writers()).isEqualTo(4);
        assertThat(o.probeEvery()).isEqualTo(10);
        assertThat(o.peer()).isFalse();
        assertThat(o.profile()).isTrue();
        assertThat(o.warmup()).isZero();
        assertThat(o.jvmOptions()).isEqualTo("-Xmx1g -XX:+UseParallelGC");
        assertThat(o.settings()).containsEntry("UNDERCURRENT_INGEST_POLL_INTERVAL", "1ms");
    }

    @Test
    void aMariaDbSourceRunsWithoutThePeer() {
        BenchOptions o = BenchOptions.parse(new String[] {"--source", "mariadb"}, ROOT);
        assertThat(o.source()).isEqualTo("mariadb");
        assertThat(o.peer()).isFalse();
        assertThatThrownBy(() -> BenchOptions.parse(
                        new String[] {"--source", "mariadb", "--server", "ws://x:1/v1/live", "--db", "postgresql://x/y"
                        },
                        ROOT))
                .hasMessageContaining("--source mariadb starts its own");
    }

    @Test
    void saysWhatIsWrong() {
        assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--source", "oracle"}, ROOT))
                .hasMessageContaining("--source oracle: expected postgres or mariadb");
        assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--mode", "fast"}, ROOT))
                .hasMessageContaining("--mode fast");
        assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--rate"}, ROOT))
                .hasMessageContaining("--rate needs a value");
        assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--server", "ws://x:1/v1/live"}, ROOT))
                .hasMessageContaining("--db");
        assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--clients", "many"}, ROOT))
                .hasMessageContaining("whole number");
    }
}
