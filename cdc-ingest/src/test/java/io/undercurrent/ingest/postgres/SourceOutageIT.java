package io.undercurrent.ingest.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.undercurrent.embedded.ChildJvm;
import io.undercurrent.embedded.EmbeddedKafka;
import io.undercurrent.embedded.LocalPostgres;
import io.undercurrent.ingest.SourceHealth;
import io.undercurrent.ingest.SourceIngestor;
import io.undercurrent.ingest.SourceKind;
import io.undercurrent.ingest.testing.IngestChildMain;
import io.undercurrent.ingest.testing.Sources;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The database unreachable at start and mid-stream (retried with backoff, health RETRYING, a log
 * line naming the cause, recovery once it is back) and a database that needs action (wal_level).
 */
class SourceOutageIT {

    private static EmbeddedKafka kafka;

    @BeforeAll
    static void start() throws Exception {
        kafka = EmbeddedKafka.start(EmbeddedKafka.Options.of(Files.createTempDirectory("outage-it-kafka")));
    }

    @AfterAll
    static void stop() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void unreachableAtStartThenDownMidStreamIsRetriedReportedAndRecovered() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        try (ChildJvm ingest = ChildJvm.start(ChildJvm.Options.of(IngestChildMain.class)
                .withName("ingest-outage")
                .withJvmArgs("-Xmx256m", "-XX:TieredStopAtLevel=1")
                .withArgs(
                        "POSTGRES",
                        "localhost",
                        Integer.toString(port),
                        "postgres",
                        "postgres",
                        "postgres",
                        kafka.bootstrapServers(),
                        "outage"))) {
            ingest.awaitOutputLine(
                    Pattern.compile("UC-STATE RETRYING .*Connection to localhost:" + port + " refused"),
                    Duration.ofSeconds(30));
            ingest.awaitOutputLine(
                    Pattern.compile(
                            "source 'outage' \\(postgres@localhost:" + port + "/postgres\\) is down: .*refused.*"
                                    + "Restarting from the last committed position in \\d+ ms"),
                    Duration.ofSeconds(5));

            try (LocalPostgres pg =
                    LocalPostgres.start(LocalPostgres.Options.defaults().withPort(port))) {
                ingest.awaitOutputLine(Pattern.compile("UC-STATE RUNNING"), Duration.ofSeconds(30));
                try (var c = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password());
                        Statement s = c.createStatement()) {
                    s.execute("select pg_terminate_backend(pid) from pg_stat_replication");
                }
                pg.stop();
                ingest.awaitOutputLine(
                        Pattern.compile("is down: .*(refused|terminat|connection)"), Duration.ofSeconds(30));
                pg.start();
                long runningLines = ingest.output().stream()
                        .filter(l -> l.contains("UC-STATE RUNNING"))
                        .count();
                org.awaitility.Awaitility.await()
                        .atMost(Duration.ofSeconds(30))
                        .until(() -> ingest.output().stream()
                                        .filter(l -> l.contains("UC-STATE RUNNING"))
                                        .count()
                                > runningLines);
            }
        }
    }

    @Test
    void aDatabaseNotSetUpForCaptureNeedsActionAndSaysWhat() {
        try (LocalPostgres pg = LocalPostgres.start(
                        LocalPostgres.Options.defaults().withServerSetting("wal_level", "replica"));
                SourceIngestor ingestor = new SourceIngestor(
                        Sources.source(
                                "replica",
                                SourceKind.POSTGRES,
                                pg.host(),
                                pg.port(),
                                "postgres",
                                pg.user(),
                                pg.password(),
                                List.of()),
                        Sources.settings(kafka.bootstrapServers()),
                        Clock.systemUTC())) {
            ingestor.start();
            Sources.awaitState(ingestor, SourceHealth.State.NEEDS_ACTION, Duration.ofSeconds(30));
            SourceHealth health = ingestor.health();
            assertThat(health.healthy()).isFalse();
            assertThat(health.lastError())
                    .contains("wal_level is 'replica'", "ALTER SYSTEM SET wal_level = logical", "restart PostgreSQL");
        }
    }
}
