package io.undercurrent.server.e2e.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import io.undercurrent.embedded.EmbeddedKafka;
import io.undercurrent.embedded.LocalPostgres;
import io.undercurrent.server.e2e.RoleEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Guarantee 4 (convergence), with the invariants of 2 (no leak), 3 (gap-free snapshot) and 5 (per-row
 * order, one frame per transaction) checked at every frame, under a seeded random workload: concurrent
 * writers moving rows between owners and groups in single and multi-statement transactions; clients
 * (users, an admin, anonymous) joining mid-stream with random filters, fields and windows, leaving,
 * reconnecting to any edge and refreshing tokens; rule edits; and a SIGKILL, under load, of ingest,
 * the router, an edge or a whole server, each a real process started from the packaged jar.
 *
 * <p>PostgreSQL and Kafka run in this JVM; the server processes in child JVMs. Scenarios without a
 * fault and the router, edge and ingest faults run against ingest, a router and two edges apart; the
 * whole-server fault against one process running every role. See {@link ChaosSettings} for the
 * system properties that choose seeds, faults and duration (and server/README.md for a long run).
 * A failure names its seed and how to replay it.
 */
class ChaosConvergenceIT {

    private static final String JWT_SECRET = "chaos-convergence-test-secret-0123456789";

    @TempDir
    static Path work;

    static ChaosSettings settings;
    static LocalPostgres postgres;
    static EmbeddedKafka kafka;
    static RulesFolder rules;
    static Path logs;
    static Cluster cluster;
    static int scenarios;

    @BeforeAll
    static void startInfrastructure() throws Exception {
        settings = ChaosSettings.fromSystemProperties();
        System.out.println("chaos: first seed 0x" + Long.toHexString(settings.firstSeed()) + ", " + settings);
        Path jar = Path.of("target", "undercurrent.jar").toAbsolutePath();
        assertThat(jar)
                .as("the shaded jar is built by `package`, before integration tests")
                .exists();
        logs = Files.createDirectories(Path.of(
                        "target",
                        "chaos-logs",
                        LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")))
                .toAbsolutePath());
        postgres = LocalPostgres.start(LocalPostgres.Options.defaults().withDataDir(work.resolve("postgres")));
        postgres.createDatabaseIfMissing("app");
        kafka = EmbeddedKafka.start(EmbeddedKafka.Options.of(work.resolve("kafka")));
        rules = new RulesFolder(Files.createDirectories(work.resolve("rules")));
    }

    @AfterAll
    static void stopInfrastructure() {
        if (cluster != null) {
            cluster.close();
        }
        if (kafka != null) {
            kafka.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @TestFactory
    Stream<DynamicTest> scenarios() {
        return settings.plans().stream().map(plan -> DynamicTest.dynamicTest(plan.label(), () -> run(plan)));
    }

    private void run(Scenario.Plan plan) throws Exception {
        Cluster.Layout layout = plan.fault() == Fault.SERVER ? Cluster.Layout.WHOLE : Cluster.Layout.SPLIT;
        if (cluster != null && (cluster.layout() != layout || cluster.degraded())) {
            cluster.close();
            cluster = null;
        }
        if (cluster == null) {
            cluster = Cluster.start(
                    layout,
                    infrastructure(),
                    logs,
                    Path.of("target", "undercurrent.jar").toAbsolutePath());
        }
        Scenario.Environment env =
                new Scenario.Environment(cluster, ChaosConvergenceIT::database, rules, work, JWT_SECRET, settings);
        Scenario.Outcome outcome = new Scenario(plan, ++scenarios, env).run();
        System.out.println("chaos: " + outcome.summary());
        outcome.violations().tolerated().forEach(line -> System.out.println("chaos:   " + line));
        if (!outcome.passed()) {
            StringBuilder report = new StringBuilder("Chaos scenario failed: ")
                    .append(plan.label())
                    .append('\n');
            if (outcome.violations().any()) {
                report.append(outcome.violations().count())
                        .append(" broken invariants:\n  ")
                        .append(String.join("\n  ", outcome.violations().kinds()))
                        .append("\nthe first:\n  ")
                        .append(String.join("\n  ", outcome.violations().kept()))
                        .append('\n');
            }
            if (!outcome.differences().isEmpty()) {
                report.append("not converged within 120 s after writes stopped:\n  ")
                        .append(String.join("\n  ", outcome.differences()))
                        .append('\n');
            }
            report.append(
                            "Replay this workload (thread timing differs from run to run): mvn -pl server -am verify -Dit.test=")
                    .append(ChaosConvergenceIT.class.getSimpleName())
                    .append(
                            " -Dtest=NoSuchTest -Dsurefire.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false -D")
                    .append(ChaosSettings.SEED)
                    .append("=0x")
                    .append(Long.toHexString(plan.seed()))
                    .append(" -D")
                    .append(ChaosSettings.SEEDS)
                    .append('=')
                    .append(plan.fault() == Fault.NONE ? 1 : 0)
                    .append(" -D")
                    .append(ChaosSettings.FAULTS)
                    .append('=')
                    .append(plan.fault().label());
            report.append("\nServer logs: ").append(logs);
            throw new AssertionError(report.toString());
        }
    }

    private static RoleEnvironment.Infrastructure infrastructure() {
        return new RoleEnvironment.Infrastructure(
                kafka.bootstrapServers(),
                LocalPostgres.HOST,
                postgres.port(),
                "app",
                postgres.user(),
                postgres.password(),
                JWT_SECRET,
                rules.directory());
    }

    private static Connection database() throws java.sql.SQLException {
        return DriverManager.getConnection(postgres.jdbcUrl("app"), postgres.user(), postgres.password());
    }
}
