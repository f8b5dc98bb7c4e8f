package io.undercurrent.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * docker-compose.yml and the Dockerfile, checked against the server's declared settings and roles
 * ({@link DeploymentFiles}); and proof that the check catches what it is for, by breaking a copy of
 * the files one way at a time.
 */
class DeploymentFilesTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    private static String compose() throws Exception {
        return Files.readString(ROOT.resolve("docker-compose.yml"));
    }

    private static String dockerfile() throws Exception {
        return Files.readString(ROOT.resolve("Dockerfile"));
    }

    private static List<String> problems(String compose, String dockerfile) throws Exception {
        return new DeploymentFiles(compose, dockerfile, ROOT).problems();
    }

    @Test
    void theComposeFileAndTheDockerfileAreConsistentWithTheServersSettings() throws Exception {
        assertThat(problems(compose(), dockerfile())).isEmpty();
    }

    @Test
    void aMisspelledVariableIsCaught() throws Exception {
        String broken = compose().replace("UNDERCURRENT_JWT_SECRET:", "UNDERCURRENT_JWT_SECRT:");
        assertThat(problems(broken, dockerfile()))
                .anySatisfy(p -> assertThat(p).contains("UNDERCURRENT_JWT_SECRT names no setting"));
    }

    @Test
    void aMisspelledVariableOfOneServiceIsCaught() throws Exception {
        String broken = compose().replace("UNDERCURRENT_ROUTER_ID: router-2", "UNDERCURRENT_ROUTER_IDS: router-2");
        assertThat(problems(broken, dockerfile()))
                .anySatisfy(p -> assertThat(p).startsWith("router-2: ").contains("UNDERCURRENT_ROUTER_IDS"));
    }

    @Test
    void anInvalidValueIsCaught() throws Exception {
        String broken = compose()
                .replace("UNDERCURRENT_KAFKA_CHANGE_PARTITIONS: \"4\"", "UNDERCURRENT_KAFKA_CHANGE_PARTITIONS: four");
        assertThat(problems(broken, dockerfile()))
                .anySatisfy(
                        p -> assertThat(p).contains("kafka.change-partitions").contains("invalid"));
    }

    @Test
    void aSettingARoleNeedsIsCaught() throws Exception {
        String broken =
                compose().replace("    UNDERCURRENT_JWT_SECRET: change-me-to-a-secret-of-at-least-32-bytes\n", "");
        assertThat(problems(broken, dockerfile()))
                .anySatisfy(p -> assertThat(p).startsWith("edge-1: ").contains("is required for the edge role"));
    }

    @Test
    void aMissingRouterAndASharedEdgeIdAreCaught() throws Exception {
        String broken = compose()
                .replace("router-2:\n", "router-2-gone:\n")
                .replace(
                        "command: [\"run\", \"--role\", \"router\"]\n    environment:\n      <<: *env\n      UNDERCURRENT_ROUTER_ID: router-2",
                        "command: [\"run\", \"--role\", \"ingestor\"]\n    environment:\n      <<: *env\n      UNDERCURRENT_ROUTER_ID: router-2")
                .replace("UNDERCURRENT_EDGE_ID: edge-2", "UNDERCURRENT_EDGE_ID: edge-1");
        assertThat(problems(broken, dockerfile()))
                .anySatisfy(p -> assertThat(p).contains("--role ingestor"))
                .anySatisfy(p -> assertThat(p).contains("expected two routers, found 1"))
                .anySatisfy(p -> assertThat(p).contains("share edge.id edge-1"));
    }

    @Test
    void portsThatDoNotMatchAreCaught() throws Exception {
        String broken = compose().replace("ports: [\"8082:8080\"]", "ports: [\"8081:8090\"]");
        assertThat(problems(broken, dockerfile()))
                .anySatisfy(p -> assertThat(p).startsWith("edge-2: publishes container port 8090"))
                .anySatisfy(p -> assertThat(p).contains("both publish host port 8081"));
        String elsewhere = compose()
                .replace(
                        "UNDERCURRENT_EDGE_ID: edge-2\n",
                        "UNDERCURRENT_EDGE_ID: edge-2\n      UNDERCURRENT_HTTP_PORT: \"9000\"\n");
        assertThat(problems(elsewhere, dockerfile()))
                .anySatisfy(p -> assertThat(p).startsWith("edge-2: publishes container port 8080 but listens on 9000"))
                .anySatisfy(p -> assertThat(p).contains("prometheus.yml scrapes"));
    }

    @Test
    void theImageIsCheckedToo() throws Exception {
        assertThat(problems(compose(), dockerfile().replace("USER undercurrent", "USER root")))
                .anySatisfy(p -> assertThat(p).contains("non-root USER"));
        assertThat(problems(compose(), dockerfile().replace("/health/live", "/health")))
                .anySatisfy(p -> assertThat(p).contains("HEALTHCHECK must probe /health/live"));
        assertThat(problems(
                        compose(),
                        dockerfile().replace("UNDERCURRENT_HTTP_PORT:-8080", "UNDERCURRENT_HTTP_PORT:-8081")))
                .anySatisfy(p -> assertThat(p).contains("HEALTHCHECK must probe ${UNDERCURRENT_HTTP_PORT:-8080}"));
        assertThat(problems(
                        compose(), dockerfile().replace("ENV UNDERCURRENT_RULES_DIR=", "ENV UNDERCURRENT_RULE_DIR=")))
                .anySatisfy(p -> assertThat(p).contains("UNDERCURRENT_RULE_DIR names no setting"));
    }

    @Test
    void theDatabaseMustCaptureAndHoldTheRulesTables() throws Exception {
        assertThat(problems(compose().replace("wal_level=logical", "wal_level=replica"), dockerfile()))
                .anySatisfy(p -> assertThat(p).contains("wal_level=logical"));
        assertThat(problems(
                        compose().replace("./deploy/postgres:/docker-entrypoint-initdb.d:ro", "./deploy/nothing:/x"),
                        dockerfile()))
                .anySatisfy(p -> assertThat(p).contains("covers public.todos"));
    }

    @Test
    void aVariantsDatabaseMustCaptureAsItsKindNeeds() throws Exception {
        assertThat(problems(
                        compose().replace("\"--binlog-format=ROW\", ", "\"--binlog-format=MIXED\", "), dockerfile()))
                .anySatisfy(p -> assertThat(p).startsWith("mariadb: ").contains("--binlog-format=ROW is missing"));
        assertThat(problems(compose().replace(", \"--binlog-row-image=FULL\"", ""), dockerfile()))
                .anySatisfy(p -> assertThat(p).startsWith("mariadb: ").contains("--binlog-row-image=FULL is missing"));
        assertThat(problems(compose().replace("[\"--replSet\", \"rs0\", ", "["), dockerfile()))
                .anySatisfy(p -> assertThat(p).startsWith("mongodb: ").contains("replica set (--replSet)"));
        assertThat(problems(compose().replace("?replicaSet=rs0", "?replicaSet=rs1"), dockerfile()))
                .anySatisfy(p -> assertThat(p)
                        .startsWith("undercurrent-mongodb: ")
                        .contains("replica set rs1 but mongodb runs --replSet rs0"));
        assertThat(problems(
                        compose()
                                .replace(
                                        "UNDERCURRENT_SOURCES_SHOP_DATABASE: shop\n      UNDERCURRENT_SOURCES_SHOP_USER",
                                        "UNDERCURRENT_SOURCES_SHOP_DATABASE: store\n      UNDERCURRENT_SOURCES_SHOP_USER"),
                        dockerfile()))
                .anySatisfy(
                        p -> assertThat(p).startsWith("undercurrent-mariadb: ").contains("reads database store"));
    }

    @Test
    void aVariantReachesOnlyItsProfileAndTheBase() throws Exception {
        String broken = compose()
                .replace(
                        "UNDERCURRENT_SOURCES_SHOP_CONNECTION_STRING: mongodb://mongodb:27017/",
                        "UNDERCURRENT_SOURCES_SHOP_CONNECTION_STRING: mongodb://mariadb:27017/");
        assertThat(problems(broken, dockerfile()))
                .anySatisfy(p -> assertThat(p)
                        .startsWith("undercurrent-mongodb: source shop points at mariadb of profile [mariadb]"));
        String waits = compose()
                .replace("      mongodb-init: { condition: service_completed_successfully }\n", "")
                .replace(
                        "      mongodb: { condition: service_healthy }\n      kafka:",
                        "      mariadb: { condition: service_healthy }\n      kafka:");
        assertThat(problems(waits, dockerfile()))
                .anySatisfy(
                        p -> assertThat(p).startsWith("undercurrent-mongodb: depends on mariadb of profile [mariadb]"))
                .anySatisfy(p -> assertThat(p).startsWith("undercurrent-mongodb: depends_on should wait for mongodb"));
    }

    @Test
    void aVariantMustNotShareTheMainDeploymentsTopicsOrIds() throws Exception {
        String shared = compose().replace("      UNDERCURRENT_KAFKA_TOPIC_PREFIX: undercurrent-mariadb\n", "");
        assertThat(problems(shared, dockerfile()))
                .anySatisfy(
                        p -> assertThat(p)
                                .isEqualTo(
                                        "the base deployment and profile mariadb share kafka.topic-prefix undercurrent on one "
                                                + "broker: each one's routers would read the other's changes and subscriptions"))
                .anySatisfy(
                        p -> assertThat(p).contains("share the routers' group").contains("undercurrent-router"));
        String group = compose()
                .replace(
                        "UNDERCURRENT_EDGE_ID: edge-mongodb\n",
                        "UNDERCURRENT_EDGE_ID: edge-mongodb\n      UNDERCURRENT_ROUTER_GROUP_ID: undercurrent-mariadb-router\n");
        assertThat(problems(group, dockerfile()))
                .anySatisfy(
                        p -> assertThat(p).contains("profile mariadb and profile mongodb share the routers' group"));
        assertThat(problems(
                        compose().replace("UNDERCURRENT_EDGE_ID: edge-mariadb", "UNDERCURRENT_EDGE_ID: edge-1"),
                        dockerfile()))
                .anySatisfy(p -> assertThat(p).isEqualTo("undercurrent-mariadb and edge-1 share edge.id edge-1"));
        assertThat(problems(compose().replace("ports: [\"8084:8080\"]", "ports: [\"8083:8080\"]"), dockerfile()))
                .anySatisfy(p -> assertThat(p).contains("both publish host port 8083"));
    }

    @Test
    void aVariantsRulesMustBeMountedAndFitItsSource() throws Exception {
        String baseRules = compose()
                .replace("./deploy/mariadb/rules:/opt/undercurrent/rules:ro", "./rules:/opt/undercurrent/rules:ro");
        assertThat(problems(baseRules, dockerfile()))
                .anySatisfy(p -> assertThat(p)
                        .isEqualTo("undercurrent-mariadb: rules/todos.yaml names source app, which "
                                + "undercurrent-mariadb does not configure"));
        String noRules = compose()
                .replace("./deploy/mongodb/rules:/opt/undercurrent/rules:ro", "./deploy/mongodb/rules:/srv/rules:ro");
        assertThat(problems(noRules, dockerfile()))
                .anySatisfy(p -> assertThat(p)
                        .isEqualTo("undercurrent-mongodb: no rules folder is mounted at its rules.dir "
                                + "/opt/undercurrent/rules"));
        String noSchema = compose()
                .replace(
                        "./deploy/mariadb/initdb:/docker-entrypoint-initdb.d:ro",
                        "./deploy/mongodb:/docker-entrypoint-initdb.d:ro");
        assertThat(problems(noSchema, dockerfile()))
                .anySatisfy(p ->
                        assertThat(p).startsWith("deploy/mariadb/rules/todos.yaml covers shop.todos, which no script"))
                .anySatisfy(p -> assertThat(p)
                        .startsWith(
                                "mariadb: no init script grants SELECT, RELOAD, REPLICATION SLAVE, BINLOG MONITOR"));
    }
}
