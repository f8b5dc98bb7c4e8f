package io.undercurrent.ingest.containers;

import static org.assertj.core.api.Assertions.assertThat;

import io.undercurrent.change.ChangeEvent;
import io.undercurrent.change.Operation;
import io.undercurrent.embedded.EmbeddedKafka;
import io.undercurrent.ingest.SourceIngestor;
import io.undercurrent.ingest.SourceKind;
import io.undercurrent.ingest.testing.Sources;
import io.undercurrent.ingest.testing.TopicReader;
import io.undercurrent.source.mariadb.testing.Docker;
import io.undercurrent.source.mariadb.testing.MySql8;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.MySQLContainer;

/** MySQL 8 through the binlog, in a container; skipped with a message where no Docker engine runs. */
class MySqlContainerIT {

    @Test
    void mysqlChangesArriveWithGtidPositionsAndCanonicalValues() throws Exception {
        Docker.assumeAvailable("MySQL 8 tests");
        try (MySQLContainer<?> mysql = MySql8.container("app", "uc", "uc");
                EmbeddedKafka kafka =
                        EmbeddedKafka.start(EmbeddedKafka.Options.of(Files.createTempDirectory("mysql-it-kafka")))) {
            mysql.start();
            try (var c = DriverManager.getConnection(mysql.getJdbcUrl(), "root", "uc");
                    Statement s = c.createStatement()) {
                s.execute("grant replication slave, replication client, select, reload on *.* to 'uc'@'%'");
                s.execute(
                        "create table app.items (id bigint primary key, price decimal(20,4), flag boolean, at datetime(6), doc json)");
            }
            try (SourceIngestor ingestor = Sources.startStreaming(
                            Sources.source(
                                    "my",
                                    SourceKind.MYSQL,
                                    mysql.getHost(),
                                    mysql.getMappedPort(3306),
                                    "app",
                                    "uc",
                                    "uc",
                                    List.of()),
                            kafka.bootstrapServers());
                    TopicReader changes = new TopicReader(kafka.bootstrapServers(), Sources.TOPICS.changes("my"))) {
                int id = 0;
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (changes.awaitChangesOrEmpty(Duration.ofMillis(500)).isEmpty() && System.nanoTime() < deadline) {
                    try (var c = DriverManager.getConnection(mysql.getJdbcUrl(), "uc", "uc");
                            Statement s = c.createStatement()) {
                        s.execute("insert into app.items values (" + (++id)
                                + ", 12.5, true, '2024-05-01 14:00:00.123456', '{\"a\": 1}')");
                    }
                }
                ChangeEvent event = changes.changes().get(0);
                assertThat(event.op()).isEqualTo(Operation.INSERT);
                assertThat(event.table()).isEqualTo("app.items");
                assertThat(event.position()).matches("binlog:mysql-bin\\.\\d+:\\d+:0;gtid:.+");
                assertThat(event.after())
                        .containsEntry("price", new BigDecimal("12.5000"))
                        .containsEntry("flag", true)
                        .containsEntry("at", "2024-05-01T14:00:00.123456")
                        .containsEntry("doc", Map.of("a", 1L));
            }
        }
    }
}
