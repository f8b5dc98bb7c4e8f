package io.undercurrent.ingest.bench;

import io.undercurrent.embedded.EmbeddedKafka;
import io.undercurrent.embedded.LocalPostgres;
import io.undercurrent.ingest.SourceIngestor;
import io.undercurrent.ingest.SourceSettings;
import io.undercurrent.ingest.internal.SourcePipeline;
import io.undercurrent.ingest.testing.Sources;
import io.undercurrent.ingest.testing.TestDatabase;
import io.undercurrent.source.mariadb.testing.LocalMariaDb;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * Ingest alone, on this machine: changes/s from a bulk write into Kafka (in 1,000-row transactions,
 * then in one transaction), and commit → Kafka latency at a steady rate, for Undercurrent's ingest and
 * for plain Debezium Embedded writing the same records. Real PostgreSQL 17, MariaDB 11.4 and an
 * in-process Kafka broker. Not part of {@code mvn verify}; the commands are in the module README
 * ("Benchmark"): {@code IngestBenchmark [postgres|mariadb|all [rows [seconds]]]}.
 */
public final class IngestBenchmark {

    private IngestBenchmark() {}

    public static void main(String[] args) throws Exception {
        String which = args.length > 0 ? args[0] : "all";
        int rows = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
        Duration steady = Duration.ofSeconds(args.length > 2 ? Integer.parseInt(args[2]) : 20);
        try (EmbeddedKafka kafka =
                EmbeddedKafka.start(EmbeddedKafka.Options.of(Files.createTempDirectory("bench-kafka")))) {
            if (!which.equals("mariadb")) {
                try (LocalPostgres pg = LocalPostgres.start(LocalPostgres.Options.defaults())) {
                    compare(TestDatabase.postgres(pg), "public.", kafka.bootstrapServers(), rows, steady);
                }
            }
            if (!which.equals("postgres")) {
                try (LocalMariaDb maria = LocalMariaDb.start()) {
                    compare(TestDatabase.mariadb(maria, "bench"), "bench.", kafka.bootstrapServers(), rows, steady);
                }
            }
        }
        System.exit(0);
    }

    private static void compare(TestDatabase db, String schema, String bootstrap, int rows, Duration steady)
            throws Exception {
        String kind = db.kind().name().toLowerCase(java.util.Locale.ROOT);
        // Two rounds, alternating, so neither side is measured alone on a cold JVM; round 2 is the figure.
        for (String run : List.of("plain-1", "undercurrent-1", "plain-2", "undercurrent-2")) {
            String mode = run.substring(0, run.indexOf('-'));
            String table = "bench_" + run.replace('-', '_');
            db.execute("create table " + table
                    + " (id bigint primary key, v varchar(100), n decimal(20,4), at timestamp)");
            SourceSettings source = new SourceSettings(
                    kind + run.replace("-", ""),
                    db.kind(),
                    db.host(),
                    db.port(),
                    db.database(),
                    db.user(),
                    db.password(),
                    List.of(schema + table),
                    Map.of());
            if (mode.equals("undercurrent")) {
                try (SourceIngestor ingestor =
                        new SourceIngestor(source, Sources.settings(bootstrap), Clock.systemUTC())) {
                    ingestor.start();
                    run(
                            db,
                            kind,
                            run,
                            table,
                            () -> ingestor.health().changesPublished(),
                            bootstrap,
                            Sources.TOPICS.changes(source.name()),
                            rows,
                            steady);
                }
            } else {
                String topic = "plain." + source.name();
                try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
                    admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1)))
                            .all()
                            .get();
                }
                var properties = SourcePipeline.engineProperties(source, Sources.settings(bootstrap));
                try (PlainDebezium plain = new PlainDebezium(properties, bootstrap, topic)) {
                    run(db, kind, run, table, plain::published, bootstrap, topic, rows, steady);
                }
            }
        }
    }

    private static void run(
            TestDatabase db,
            String kind,
            String mode,
            String table,
            java.util.function.LongSupplier published,
            String bootstrap,
            String topic,
            int rows,
            Duration steady)
            throws Exception {
        BenchRun run = new BenchRun(db, table, published);
        run.warmUp();
        System.out.printf("%-8s %-12s bulk:   %s%n", kind, mode, run.bulk(rows));
        System.out.printf("%-8s %-12s one tx: %s%n", kind, mode, run.oneTransaction(rows));
        try (LatencyProbe probe = new LatencyProbe(bootstrap, topic)) {
            run.steady(1000, steady, probe);
            System.out.printf(
                    "%-8s %-12s steady: 1,000 changes/s for %d s, commit -> Kafka %s%n",
                    kind, mode, steady.toSeconds(), probe.summary());
        }
    }
}
