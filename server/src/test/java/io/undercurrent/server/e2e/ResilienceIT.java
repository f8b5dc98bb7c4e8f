package io.undercurrent.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Outages of the infrastructure under a live subscription: nothing is lost, every failure is reported in words. */
class ResilienceIT {

    @TempDir
    static Path dataDir;

    static EmbeddedServer server;

    @BeforeAll
    static void start() throws Exception {
        server = EmbeddedServer.start(dataDir, Map.of());
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private LiveClient subscribed(String sub, String id) throws Exception {
        LiveClient client = LiveClient.connect(server.liveUrl());
        client.authenticate(server.token(sub, "user"), "a");
        client.subscribeToTodosOf(sub, id);
        return client;
    }

    @Test
    void changesCommittedWhileKafkaIsDownArriveOnceItIsBack() throws Exception {
        try (LiveClient dave = subscribed("dave", "q");
                Connection db = server.database();
                Statement st = db.createStatement()) {
            st.executeUpdate("insert into todos(owner_id, title) values ('dave', 'before-outage')");
            dave.await(f -> f.toString().contains("before-outage"), Duration.ofSeconds(30));

            server.node.embedded().kafka().stop();
            for (int i = 0; i < 20; i++) {
                st.executeUpdate("insert into todos(owner_id, title) values ('dave', 'during-outage-" + i + "')");
            }
            server.node.embedded().kafka().start();

            Set<String> titles = new HashSet<>();
            while (titles.size() < 20) {
                JsonNode frame = dave.await(f -> f.toString().contains("during-outage-"), Duration.ofSeconds(120));
                frame.path("changes")
                        .forEach(c -> titles.add(c.path("row").path("title").asText()));
            }
            assertThat(titles).hasSize(20);
        }
    }

    @Test
    void aSnapshotWhileTheDatabaseIsDownIsAnErrorFrameAndWorksAgainAfterwards() throws Exception {
        try (LiveClient erin = LiveClient.connect(server.liveUrl())) {
            erin.authenticate(server.token("erin", "user"), "a");
            server.node.embedded().postgres().stop();
            try {
                erin.sendJson(Map.of("type", "subscribe", "id", "down", "table", "public.todos"));
                JsonNode error = erin.await("error", "down");
                assertThat(error.path("code").asText()).isEqualTo("internal");
                assertThat(error.path("message").asText())
                        .doesNotContain("\tat ")
                        .isNotBlank();
            } finally {
                server.node.embedded().postgres().start();
            }
            erin.sendJson(Map.of("type", "subscribe", "id", "up", "table", "public.todos"));
            assertThat(erin.await("snapshot", "up").path("rows").isArray()).isTrue();
            try (Connection db = server.database();
                    Statement st = db.createStatement()) {
                st.executeUpdate("insert into todos(owner_id, title) values ('erin', 'after-db-restart')");
            }
            erin.await(f -> f.toString().contains("after-db-restart"), Duration.ofSeconds(120));
        }
    }
}
