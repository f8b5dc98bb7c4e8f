package io.undercurrent.ingest.testing;

import io.undercurrent.ingest.SourceHealth;
import io.undercurrent.ingest.SourceIngestor;
import io.undercurrent.ingest.SourceKind;
import io.undercurrent.ingest.SourceSettings;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * An ingest process for crash tests, run in its own JVM by {@code ChildJvm}. Prints
 * {@code UC-STATE <state> <lastError>} at every change of health, and runs until killed.
 *
 * <p>Arguments: kind host port database user password bootstrap sourceName [table,...]
 */
public final class IngestChildMain {

    private IngestChildMain() {}

    public static void main(String[] args) throws InterruptedException {
        List<String> tables = args.length > 8 ? Arrays.asList(args[8].split(",")) : List.of();
        SourceSettings source = Sources.source(
                args[7],
                SourceKind.valueOf(args[0]),
                args[1],
                Integer.parseInt(args[2]),
                args[3],
                args[4],
                args[5],
                tables);
        SourceIngestor ingestor = new SourceIngestor(source, Sources.settings(args[6]), Clock.systemUTC());
        AtomicReference<String> last = new AtomicReference<>("");
        var watcher = Executors.newSingleThreadScheduledExecutor();
        watcher.scheduleWithFixedDelay(
                () -> {
                    SourceHealth h = ingestor.health();
                    String line = "UC-STATE " + h.state() + (h.lastError() == null ? "" : " " + h.lastError());
                    if (!line.equals(last.getAndSet(line))) {
                        System.out.println(line);
                    }
                },
                0,
                20,
                TimeUnit.MILLISECONDS);
        ingestor.start();
        new CountDownLatch(1).await();
    }
}
