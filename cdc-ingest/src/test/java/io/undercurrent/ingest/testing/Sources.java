package io.undercurrent.ingest.testing;

import io.undercurrent.change.Topics;
import io.undercurrent.ingest.IngestSettings;
import io.undercurrent.ingest.SourceHealth;
import io.undercurrent.ingest.SourceIngestor;
import io.undercurrent.ingest.SourceKind;
import io.undercurrent.ingest.SourceSettings;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;

/** Starts ingestors the way the server does, with test-friendly backoff. */
public final class Sources {

    public static final Topics TOPICS = new Topics("uc");

    private Sources() {}

    public static IngestSettings settings(String bootstrap) {
        return IngestSettings.builder(bootstrap, TOPICS)
                .changePartitions(3)
                .offsetFlushInterval(Duration.ofMillis(200))
                .retryBackoff(Duration.ofMillis(200), Duration.ofSeconds(2))
                .build();
    }

    public static SourceSettings source(
            String name,
            SourceKind kind,
            String host,
            int port,
            String database,
            String user,
            String password,
            List<String> tables) {
        return new SourceSettings(name, kind, host, port, database, user, password, tables, Map.of());
    }

    /** Starts an ingestor and waits until it streams. */
    public static SourceIngestor startStreaming(SourceSettings source, String bootstrap) {
        SourceIngestor ingestor = new SourceIngestor(source, settings(bootstrap), Clock.systemUTC());
        ingestor.start();
        awaitState(ingestor, SourceHealth.State.RUNNING, Duration.ofSeconds(60));
        return ingestor;
    }

    public static void awaitState(SourceIngestor ingestor, SourceHealth.State state, Duration timeout) {
        Awaitility.await()
                .atMost(timeout)
                .pollInterval(Duration.ofMillis(20))
                .alias("source " + ingestor.health().source() + " to be " + state)
                .until(() -> ingestor.health().state() == state);
    }
}
