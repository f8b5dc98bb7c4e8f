package io.undercurrent.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.undercurrent.edge.EdgeSettingDeclarations;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    @TempDir
    Path dir;

    private Path yaml(String text) throws Exception {
        Path file = dir.resolve("undercurrent.yaml");
        Files.writeString(file, text);
        return file;
    }

    @Test
    void noConfigurationMeansDefaults() throws Exception {
        Config config = new ConfigLoader(Map.of()).load(null);
        assertThat(config.get(ServerSettings.EMBEDDED)).isTrue();
        assertThat(config.get(ServerSettings.HTTP_PORT)).isEqualTo(8080);
        assertThat(config.get(ServerSettings.ROLE)).isEqualTo(Role.ALL);
        assertThat(config.sources()).isEmpty();
    }

    @Test
    void fileValuesAreTypedAndTheEnvironmentOverridesThem() throws Exception {
        Path file = yaml("""
                embedded:
                  enabled: false
                kafka:
                  bootstrap-servers: k1:9092,k2:9092
                http:
                  port: 9000
                edge:
                  idle-timeout: 45s
                  max-pending-bytes: 2MiB
                sources:
                  app:
                    host: db
                    database: app
                    user: uc
                    tables: [public.todos, public.projects]
                """);
        Config config = new ConfigLoader(
                        Map.of("UNDERCURRENT_HTTP_PORT", "9001", "UNDERCURRENT_SOURCES_APP_PASSWORD", "pw"))
                .load(file);
        assertThat(config.get(ServerSettings.EMBEDDED)).isFalse();
        assertThat(config.get(ServerSettings.KAFKA_BOOTSTRAP)).isEqualTo("k1:9092,k2:9092");
        assertThat(config.get(ServerSettings.HTTP_PORT)).isEqualTo(9001);
        assertThat(config.get(EdgeSettingDeclarations.IDLE_TIMEOUT)).isEqualTo(Duration.ofSeconds(45));
        assertThat(config.get(EdgeSettingDeclarations.MAX_PENDING)).isEqualTo(2L * 1024 * 1024);
        SourceConfig app = config.sources().get("app");
        assertThat(app.password()).isEqualTo("pw");
        assertThat(app.port()).isEqualTo(5432);
        assertThat(app.tables()).containsExactly("public.todos", "public.projects");
        assertThat(app.jdbcUrl()).isEqualTo("jdbc:postgresql://db:5432/app");
        assertThat(config.defaultSource()).isEqualTo("app");
    }

    @Test
    void everyProblemIsReportedAtOnceNamingTheSetting() throws Exception {
        Path file = yaml("""
                htp:
                  port: 8080
                http:
                  port: eighty
                edge:
                  idle-timeout: forever
                sources:
                  app:
                    hots: db
                    user: uc
                  Bad_Name:
                    database: x
                """);
        assertThatThrownBy(() -> new ConfigLoader(Map.of("UNDERCURRENT_JWT_SECRET", "x")).load(file))
                .isInstanceOfSatisfying(
                        ConfigException.class, e -> assertThat(e.problems()).hasSize(6))
                .hasMessageContaining("unknown setting 'htp.port'; did you mean 'http.port'?")
                .hasMessageContaining("'http.port' = 'eighty' is invalid: expected a whole number from 0 to 65535")
                .hasMessageContaining("'edge.idle-timeout' = 'forever' is invalid: expected a duration")
                .hasMessageContaining("unknown setting 'sources.app.hots'")
                .hasMessageContaining("source name 'Bad_Name'")
                .hasMessageContaining("source 'app' needs sources.app.database");
    }

    @Test
    void kafkaClientPropertiesPassThroughFromTheFileAndTheEnvironment() throws Exception {
        Path file = yaml("""
                kafka:
                  properties:
                    security.protocol: SASL_SSL
                    sasl:
                      mechanism: PLAIN
                    request.timeout.ms: 20000
                """);
        Config config = new ConfigLoader(Map.of(
                        "UNDERCURRENT_KAFKA_PROPERTIES_SSL_TRUSTSTORE_LOCATION",
                        "/etc/kafka/trust.jks",
                        "UNDERCURRENT_KAFKA_PROPERTIES_SASL_JAAS_CONFIG",
                        "secret-jaas"))
                .load(file);
        assertThat(config.kafkaProperties())
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        "security.protocol",
                        "SASL_SSL",
                        "sasl.mechanism",
                        "PLAIN",
                        "request.timeout.ms",
                        "20000",
                        "ssl.truststore.location",
                        "/etc/kafka/trust.jks",
                        "sasl.jaas.config",
                        "secret-jaas"));
        assertThat(Config.isSecretKafkaProperty("sasl.jaas.config")).isTrue();
        assertThat(Config.isSecretKafkaProperty("ssl.key.password")).isTrue();
        assertThat(Config.isSecretKafkaProperty("security.protocol")).isFalse();
    }

    @Test
    void kafkaPropertiesThatUndercurrentSetsOrKafkaDoesNotKnowAreRefusedNamingTheSetting() throws Exception {
        Path file = yaml("""
                kafka:
                  properties:
                    enable.idempotence: false
                    acks: 1
                    isolation.level: read_uncommitted
                    bootstrap.servers: k:9092
                    group.id: mine
                    security.protocoll: SSL
                    ssl.keystore.password: hunter2
                """);
        assertThatThrownBy(() ->
                        new ConfigLoader(Map.of("UNDERCURRENT_KAFKA_PROPERTIES_ENABLE_AUTO_COMMIT", "true")).load(file))
                .isInstanceOfSatisfying(
                        ConfigException.class, e -> assertThat(e.problems()).hasSize(7))
                .hasMessageContaining(
                        "'kafka.properties.enable.idempotence' cannot be set: Undercurrent sets it; changing it would "
                                + "break at-least-once delivery")
                .hasMessageContaining("'kafka.properties.acks' cannot be set")
                .hasMessageContaining("'kafka.properties.isolation.level' cannot be set")
                .hasMessageContaining("'kafka.properties.enable.auto.commit' cannot be set")
                .hasMessageContaining("'kafka.properties.bootstrap.servers' cannot be set: use kafka.bootstrap-servers")
                .hasMessageContaining("'kafka.properties.group.id' cannot be set: use router.group-id")
                .hasMessageContaining(
                        "'kafka.properties.security.protocoll' is no Kafka client property; did you mean 'security.protocol'?")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void aLongestBackoffBelowTheFirstIsRefusedNamingBoth() throws Exception {
        Path file =
                yaml("router:\n  retry-backoff: 5s\n  retry-backoff-max: 2s\ningest:\n  retry-backoff-max: 100ms\n");
        assertThatThrownBy(() -> new ConfigLoader(Map.of()).load(file))
                .hasMessageContaining("'router.retry-backoff-max' = 'PT2S' is below 'router.retry-backoff' = 'PT5S'")
                .hasMessageContaining(
                        "'ingest.retry-backoff-max' = 'PT0.1S' is below 'ingest.retry-backoff' = 'PT0.5S'");
    }

    @Test
    void secretsAreNeverEchoedInErrors() throws Exception {
        Path file = yaml("sources:\n  app:\n    database: a\n    user: u\n    password: [not, a, scalar]\n");
        assertThatThrownBy(() -> new ConfigLoader(Map.of()).load(file))
                .hasMessageContaining("'sources.app.password' = '****'")
                .hasMessageNotContaining("not, a, scalar");
    }

    @Test
    void aSourcesPortDefaultsToItsKinds() throws Exception {
        Path file = yaml("sources:\n  shop:\n    kind: mariadb\n    database: shop\n    user: u\n");
        assertThat(new ConfigLoader(Map.of()).load(file).sources().get("shop").port())
                .isEqualTo(3306);
    }

    @Test
    void severalSourcesNeedADefault() throws Exception {
        Path file = yaml("sources:\n  a:\n    database: a\n    user: u\n  b:\n    database: b\n    user: u\n");
        assertThatThrownBy(() -> new ConfigLoader(Map.of()).load(file)).hasMessageContaining("set 'sources.default'");
        Config config = new ConfigLoader(Map.of("UNDERCURRENT_SOURCES_DEFAULT", "b")).load(file);
        assertThat(config.defaultSource()).isEqualTo("b");
        assertThat(config.sources().keySet()).containsExactlyInAnyOrder("a", "b");
    }

    @Test
    void brokenYamlAndMissingFilesAreReported() throws Exception {
        assertThatThrownBy(() -> new ConfigLoader(Map.of()).load(yaml("http: [unclosed")))
                .hasMessageContaining("not valid YAML");
        assertThatThrownBy(() -> new ConfigLoader(Map.of()).load(dir.resolve("missing.yaml")))
                .hasMessageContaining("does not exist");
    }

    @Test
    void aMistypedEnvironmentVariableStopsStartUpNamingTheClosestSettingWithoutEchoingItsValue() {
        Map<String, String> env = Map.of(
                "UNDERCURRENT_JWT_SECRE",
                "a-production-secret-of-32-bytes-or-more",
                "PATH",
                "/usr/bin",
                "UNDERCURRENTLY",
                "not ours");
        assertThatThrownBy(() -> new ConfigLoader(env).load(null))
                .isInstanceOfSatisfying(
                        ConfigException.class, e -> assertThat(e.problems()).hasSize(1))
                .hasMessageContaining("environment variable UNDERCURRENT_JWT_SECRE names no setting; "
                        + "did you mean UNDERCURRENT_JWT_SECRET ('jwt.secret')? Rename or unset it")
                .hasMessageNotContaining("a-production-secret");
    }

    @Test
    void unknownSourceAndOtherVariablesSayHowTheyAreSpelled() {
        assertThatThrownBy(() -> new ConfigLoader(Map.of("UNDERCURRENT_SOURCES_APP_HOTS", "db")).load(null))
                .hasMessageContaining("UNDERCURRENT_SOURCES_APP_HOTS names no setting; a source variable is "
                        + "UNDERCURRENT_SOURCES_<NAME>_<SETTING>")
                .hasMessageContaining("HOST, PORT");
        assertThatThrownBy(() -> new ConfigLoader(Map.of("UNDERCURRENT_HOME", "/opt/uc")).load(null))
                .hasMessageContaining(
                        "UNDERCURRENT_HOME names no setting; rename or unset it (server/CONFIG.md lists every setting)");
        assertThatThrownBy(() -> new ConfigLoader(Map.of("UNDERCURRENT_KAFKA_BOOTSTRAP_SERVER", "k:9092")).load(null))
                .hasMessageContaining("did you mean UNDERCURRENT_KAFKA_BOOTSTRAP_SERVERS ('kafka.bootstrap-servers')?");
    }

    @Test
    void tokensMustExpireByDefaultAndTheHttpHostIsChosenAtStart() throws Exception {
        Config defaults = new ConfigLoader(Map.of()).load(null);
        assertThat(defaults.get(ServerSettings.JWT_REQUIRE_EXP)).isTrue();
        assertThat(defaults.isSet(ServerSettings.HTTP_HOST)).isFalse();
        assertThat(new ConfigLoader(Map.of("UNDERCURRENT_JWT_REQUIRE_EXP", "false"))
                        .load(null)
                        .get(ServerSettings.JWT_REQUIRE_EXP))
                .isFalse();
    }

    @Test
    void theConfigurationReferenceIsUpToDate() throws Exception {
        Path doc = Path.of("CONFIG.md");
        assertThat(Files.exists(doc))
                .as("server/CONFIG.md exists; regenerate with `undercurrent config > server/CONFIG.md`")
                .isTrue();
        assertThat(Files.readString(doc))
                .as("server/CONFIG.md is stale; regenerate with `undercurrent config > server/CONFIG.md`")
                .isEqualTo(ConfigReference.markdown());
        assertThat(List.copyOf(ServerSettings.ALL)).doesNotHaveDuplicates();
    }
}
