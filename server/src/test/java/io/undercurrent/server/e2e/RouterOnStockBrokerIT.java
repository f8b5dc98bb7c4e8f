package io.undercurrent.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.undercurrent.change.Topics;
import io.undercurrent.embedded.EmbeddedKafka;
import io.undercurrent.router.Router;
import io.undercurrent.router.RouterSettings;
import io.undercurrent.server.NoRules;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stock broker refuses session timeouts below 6 s (group.min.session.timeout.ms). A router whose
 * router.session-timeout is shorter must still join the group (with the broker's minimum), not fail
 * to start.
 */
class RouterOnStockBrokerIT {

    @TempDir
    Path kafkaDir;

    @Test
    void aSessionTimeoutBelowTheBrokersMinimumFallsBackToTheMinimum() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(
                        EmbeddedKafka.Options.of(kafkaDir).withBrokerProperty("group.min.session.timeout.ms", "6000"));
                Admin admin =
                        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()));
                Router router = new Router(
                        RouterSettings.defaults("r1", kafka.bootstrapServers(), new Topics("stock")),
                        () -> NoRules.INSTANCE,
                        Clock.systemUTC())) {
            assertThat(RouterSettings.defaults("r1", "x:1", new Topics("stock")).sessionTimeout())
                    .isLessThan(Duration.ofSeconds(6));
            admin.createTopics(List.of(new NewTopic(new Topics("stock").changes("app"), 1, (short) 1)))
                    .all()
                    .get(30, TimeUnit.SECONDS);
            router.start();
            await().atMost(Duration.ofSeconds(60))
                    .untilAsserted(() -> assertThat(router.health().ready())
                            .as("ready; last error: %s", router.health().lastError())
                            .isTrue());
        }
    }
}
