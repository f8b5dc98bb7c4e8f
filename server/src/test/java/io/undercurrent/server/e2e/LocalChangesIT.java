package io.undercurrent.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server running ingest and the router in one process routes the changes ingest had acknowledged at
 * their offsets, without waiting for its consumer to fetch them ({@code router.local-changes}): a
 * client gets every change of a row, once and in commit order, though the consumer reads each of them
 * too; with the setting off, every change comes through the consumer.
 */
class LocalChangesIT {

    private static final int UPDATES = 200;

    @TempDir
    Path dataDir;

    @Test
    void roleAllRoutesAcknowledgedChangesAtOnceAndKeepsEachRowsChangesInOrder() throws Exception {
        try (EmbeddedServer server =
                EmbeddedServer.start(dataDir, Map.of("UNDERCURRENT_ROUTER_LOCAL_CHANGES", "true"))) {
            List<String> titles = RowUpdates.seenInOrder(server, UPDATES, Duration.ofSeconds(60));
            assertThat(titles)
                    .as("every update, once, in commit order")
                    .containsExactlyElementsOf(RowUpdates.expected(UPDATES));
            assertThat(localChanges(server))
                    .as("changes the router took from ingest directly")
                    .isPositive();
        }
    }

    @Test
    void byDefaultEveryChangeComesThroughTheConsumer() throws Exception {
        try (EmbeddedServer server = EmbeddedServer.start(dataDir, Map.of())) {
            List<String> titles = RowUpdates.seenInOrder(server, UPDATES, Duration.ofSeconds(60));
            assertThat(titles).containsExactlyElementsOf(RowUpdates.expected(UPDATES));
            assertThat(localChanges(server)).isZero();
        }
    }

    private static double localChanges(EmbeddedServer server) {
        return server.node
                .metrics()
                .registry()
                .get("undercurrent.router.local.changes")
                .functionCounter()
                .count();
    }
}
