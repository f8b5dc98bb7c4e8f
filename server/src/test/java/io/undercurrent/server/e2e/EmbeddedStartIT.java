package io.undercurrent.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.undercurrent.embedded.EmbeddedException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded database and broker start side by side. When one of them cannot start, start-up stops
 * with that one's failure, named as before, and leaves nothing running: the other is stopped once its
 * own start has ended.
 */
class EmbeddedStartIT {

    @TempDir
    Path dataDir;

    @Test
    void aBusyKafkaPortStopsStartUpNamingTheBrokerAndLeavesNoDatabaseRunning() throws Exception {
        try (ServerSocket busy = listening(0)) {
            int port = busy.getLocalPort();
            assertThatThrownBy(() -> EmbeddedServer.start(
                                    dataDir, Map.of("UNDERCURRENT_EMBEDDED_KAFKA_PORT", Integer.toString(port)))
                            .close())
                    .isInstanceOf(EmbeddedException.class)
                    .hasMessageContaining("Kafka broker: port " + port)
                    .hasMessageContaining("already in use");
        }
        Path postgres = dataDir.resolve("postgres");
        assertThat(postgres.resolve("PG_VERSION"))
                .as("the database's start ran beside the broker's")
                .exists();
        assertThat(postgres.resolve("postmaster.pid"))
                .as("the database was stopped once its start ended")
                .doesNotExist();
    }

    @Test
    void aBusyPostgresPortStopsStartUpNamingTheDatabaseAndLeavesNoBrokerRunning() throws Exception {
        int kafkaPort;
        try (ServerSocket free = listening(0)) {
            kafkaPort = free.getLocalPort();
        }
        try (ServerSocket busy = listening(0)) {
            int port = busy.getLocalPort();
            assertThatThrownBy(() -> EmbeddedServer.start(
                                    dataDir,
                                    Map.of(
                                            "UNDERCURRENT_EMBEDDED_POSTGRES_PORT", Integer.toString(port),
                                            "UNDERCURRENT_EMBEDDED_KAFKA_PORT", Integer.toString(kafkaPort)))
                            .close())
                    .isInstanceOf(EmbeddedException.class)
                    .hasMessageContaining("PostgreSQL: port " + port)
                    .hasMessageContaining("already in use");
        }
        assertThat(dataDir.resolve("kafka").resolve("meta.properties"))
                .as("the broker's start ran beside the database's")
                .exists();
        try (ServerSocket again = listening(kafkaPort)) {
            assertThat(again.getLocalPort())
                    .as("the broker was stopped: its port is free")
                    .isEqualTo(kafkaPort);
        }
    }

    private static ServerSocket listening(int port) throws IOException {
        ServerSocket socket = new ServerSocket();
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        return socket;
    }
}
