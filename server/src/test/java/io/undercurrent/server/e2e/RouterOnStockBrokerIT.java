package io.undercurrent.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.undercurrent.change.Topics;
import io.undercurrent.embedded.EmbeddedKafka;
import io.undercurrent.router.Router;
import io.undercurrent.router.RouterSettings;
import io.undercurrent.rules.Access;
import io.undercurrent.rules.Explanation;
import io.undercurrent.rules.RowCondition;
import io.undercurrent.rules.RuleSet;
import io.undercurrent.rules.TableRef;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
                        () -> NO_RULES,
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

    private static final RuleSet NO_RULES = new RuleSet() {
        @Override
        public Access access(TableRef table, Map<String, ?> auth, Map<String, ?> row, long nowMillis) {
            throw new UnsupportedOperationException("no table has a rule");
        }

        @Override
        public boolean hasRule(TableRef table) {
            return false;
        }

        @Override
        public Set<TableRef> tables() {
            return Set.of();
        }

        @Override
        public Explanation explain(TableRef table, Map<String, ?> auth, Map<String, ?> row, long nowMillis) {
            throw new UnsupportedOperationException();
        }

        @Override
        public String version(TableRef table) {
            return "none";
        }

        @Override
        public boolean certainlyVisible(TableRef table, Map<String, ?> auth, String column) {
            return false;
        }

        @Override
        public boolean mayReadAny(TableRef table, Map<String, ?> auth) {
            return false;
        }

        @Override
        public RowCondition readCondition(TableRef table, Map<String, ?> auth, long nowMillis) {
            return RowCondition.FALSE;
        }
    };
}
