package io.undercurrent.server.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The module graph of README.md's "Architecture": every module's internals stay its own; router and
 * edge are siblings that meet in the bus contract; the edge reads databases only through the
 * source-read seam, whose implementations only the server picks; the live-query language knows no
 * database, Kafka or rules; the contracts depend on nothing heavier than themselves; every module
 * declares its settings with the settings module, which depends on none; Debezium stays in ingest. Each module's enforcer rules say the same about its Maven dependencies.
 */
class ModuleBoundariesTest {

    private static JavaClasses classes;

    @BeforeAll
    static void importAll() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.undercurrent");
    }

    @Test
    void noModuleUsesAnotherModulesInternals() {
        String[] modules = {
            "io.undercurrent.change",
            "io.undercurrent.rules",
            "io.undercurrent.query",
            "io.undercurrent.bus",
            "io.undercurrent.source.jdbc",
            "io.undercurrent.source.postgres",
            "io.undercurrent.source.mariadb",
            "io.undercurrent.source.mongodb",
            "io.undercurrent.router",
            "io.undercurrent.edge",
            "io.undercurrent.ingest",
            "io.undercurrent.embedded"
        };
        for (String root : modules) {
            noClasses()
                    .that()
                    .resideOutsideOfPackage(root + "..")
                    .should()
                    .dependOnClassesThat()
                    .resideInAPackage(root + "..internal..")
                    .because("internal packages are private to " + root)
                    .check(classes);
        }
        noClasses()
                .that()
                .resideInAPackage("io.undercurrent.query.rules..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("io.undercurrent.query.internal..")
                .because("live-query/rules is another module: it uses the language's api and spi only")
                .check(classes);
    }

    @Test
    void dependenciesPointOneWay() {
        noClasses()
                .that()
                .resideInAnyPackage(
                        "io.undercurrent.router..",
                        "io.undercurrent.rules..",
                        "io.undercurrent.change..",
                        "io.undercurrent.ingest..",
                        "io.undercurrent.query..",
                        "io.undercurrent.bus..",
                        "io.undercurrent.source..",
                        "io.undercurrent.settings..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("io.undercurrent.edge..")
                .because("nothing depends on the edge")
                .check(classes);
        noClasses()
                .that()
                .resideInAnyPackage(
                        "io.undercurrent.rules..",
                        "io.undercurrent.change..",
                        "io.undercurrent.query..",
                        "io.undercurrent.bus..",
                        "io.undercurrent.source..",
                        "io.undercurrent.edge..",
                        "io.undercurrent.ingest..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("io.undercurrent.router..")
                .because("the edge and the router are siblings; they meet in the bus contract")
                .check(classes);
        noClasses()
                .that()
                .resideInAnyPackage("io.undercurrent.rules..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("org.apache.kafka..", "io.undertow..", "io.undercurrent.query..")
                .because("the rules engine knows nothing of Kafka, sockets or live queries")
                .check(classes);
        noClasses()
                .that()
                .resideOutsideOfPackages("io.undercurrent.ingest..", "io.undercurrent.server..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("io.debezium..")
                .because("Debezium stays behind cdc-ingest")
                .check(classes);
    }

    @Test
    void theLiveQueryLanguageKnowsNoDatabaseKafkaOrRules() {
        noClasses()
                .that()
                .resideInAPackage("io.undercurrent.query..")
                .and()
                .resideOutsideOfPackage("io.undercurrent.query.rules..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "java.sql..",
                        "javax.sql..",
                        "org.apache.kafka..",
                        "io.undercurrent.rules..",
                        "io.undercurrent.bus..",
                        "io.undercurrent.source..",
                        "io.undercurrent.ingest..")
                .because("live-query is the language only; rules meet it in io.undercurrent.query.rules")
                .check(classes);
        noClasses()
                .that()
                .haveFullyQualifiedName("io.undercurrent.query.Filter")
                .or()
                .haveFullyQualifiedName("io.undercurrent.query.LiveQuery")
                .or()
                .haveFullyQualifiedName("io.undercurrent.query.TableSchema")
                .or()
                .haveFullyQualifiedName("io.undercurrent.query.ColumnType")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("io.undercurrent.query.internal..")
                .because("the query model does not depend on its implementations (LiveQueryJson wires the codec)")
                .check(classes);
    }

    @Test
    void theSettingsModuleDependsOnNoModule() {
        noClasses()
                .that()
                .resideInAPackage("io.undercurrent.settings..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "io.undercurrent.change..",
                        "io.undercurrent.rules..",
                        "io.undercurrent.query..",
                        "io.undercurrent.bus..",
                        "io.undercurrent.source..",
                        "io.undercurrent.router..",
                        "io.undercurrent.edge..",
                        "io.undercurrent.ingest..",
                        "io.undercurrent.embedded..",
                        "io.undercurrent.server..",
                        "org.apache.kafka..",
                        "io.debezium..")
                .because("every module declares its settings with it, so it must not pull any module along")
                .check(classes);
    }

    @Test
    void contractsDependOnlyOnContracts() {
        noClasses()
                .that()
                .resideInAPackage("io.undercurrent.change..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "io.undercurrent.query..",
                        "io.undercurrent.bus..",
                        "io.undercurrent.source..",
                        "io.undercurrent.rules..",
                        "io.undercurrent.ingest..",
                        "org.apache.kafka..")
                .because("the change contract is the bottom of the graph")
                .check(classes);
        noClasses()
                .that()
                .resideInAPackage("io.undercurrent.change..")
                .and()
                .haveNameNotMatching("io\\.undercurrent\\.change\\.value\\.CanonicalBson(\\$.*)?")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("org.bson..", "com.mongodb..")
                .because("BSON is an optional dependency of the change contract, for CanonicalBson alone, which"
                        + " only the modules holding BSON values call")
                .check(classes);
        noClasses()
                .that()
                .resideInAPackage("io.undercurrent.bus")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "org.apache.kafka..",
                        "io.undercurrent.rules..",
                        "io.undercurrent.source..",
                        "io.undercurrent.ingest..")
                .because("bus records are plain types; only io.undercurrent.bus.kafka touches Kafka")
                .check(classes);
        noClasses()
                .that()
                .resideInAPackage("io.undercurrent.source")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "java.sql..",
                        "javax.sql..",
                        "org.postgresql..",
                        "org.mariadb..",
                        "io.undercurrent.source.jdbc..",
                        "io.undercurrent.source.postgres..",
                        "io.undercurrent.source.mariadb..",
                        "com.mongodb..",
                        "org.bson..",
                        "io.undercurrent.source.mongodb..",
                        "io.undercurrent.rules..",
                        "io.undercurrent.bus..",
                        "org.apache.kafka..")
                .because("the source-read seam is an interface, not a driver")
                .check(classes);
    }

    @Test
    void databasesAreReadOnlyBehindTheSeam() {
        noClasses()
                .that()
                .resideInAnyPackage("io.undercurrent.edge..", "io.undercurrent.router..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "java.sql..",
                        "javax.sql..",
                        "org.postgresql..",
                        "org.mariadb..",
                        "com.zaxxer..",
                        "io.undercurrent.source.jdbc..",
                        "io.undercurrent.source.postgres..",
                        "io.undercurrent.source.mariadb..",
                        "com.mongodb..",
                        "org.bson..",
                        "io.undercurrent.source.mongodb..")
                .because("the edge reads sources through SourceReader; the router needs no database")
                .check(classes);
        noClasses()
                .that()
                .resideOutsideOfPackages("io.undercurrent.source.postgres..", "io.undercurrent.server..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("io.undercurrent.source.postgres..")
                .because("only the server picks a source reader implementation")
                .check(classes);
        noClasses()
                .that()
                .resideOutsideOfPackages("io.undercurrent.source.mariadb..", "io.undercurrent.server..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("io.undercurrent.source.mariadb..")
                .because("only the server picks a source reader implementation")
                .check(classes);
        noClasses()
                .that()
                .resideOutsideOfPackages("io.undercurrent.source.mongodb..", "io.undercurrent.server..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("io.undercurrent.source.mongodb..")
                .because("only the server picks a source reader implementation")
                .check(classes);
    }
}
