package io.undercurrent.server.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every module's internals stay its own, and dependencies point one way:
 * edge → router → rules-engine; nothing depends on the edge; Debezium only in ingest.
 */
class ModuleBoundariesTest {

    private static JavaClasses classes;

    @BeforeAll
    static void importAll() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.undercurrent");
    }

    @Test
    void noModuleUsesAnotherModulesInternals() {
        String[][] modules = {
            {"io.undercurrent.change.."},
            {"io.undercurrent.rules.."},
            {"io.undercurrent.router.."},
            {"io.undercurrent.edge.."},
            {"io.undercurrent.ingest.."},
            {"io.undercurrent.embedded.."},
        };
        for (String[] module : modules) {
            String root = module[0].substring(0, module[0].length() - 2);
            noClasses().that().resideOutsideOfPackage(module[0])
                    .should().dependOnClassesThat().resideInAPackage(root + "..internal..")
                    .because("internal packages are private to " + root)
                    .check(classes);
        }
    }

    @Test
    void dependenciesPointOneWay() {
        noClasses().that().resideInAnyPackage("io.undercurrent.router..", "io.undercurrent.rules..", "io.undercurrent.change..",
                        "io.undercurrent.ingest..")
                .should().dependOnClassesThat().resideInAPackage("io.undercurrent.edge..")
                .because("nothing depends on the edge").check(classes);
        noClasses().that().resideInAnyPackage("io.undercurrent.rules..", "io.undercurrent.change..")
                .should().dependOnClassesThat().resideInAPackage("io.undercurrent.router..").check(classes);
        noClasses().that().resideInAnyPackage("io.undercurrent.rules..")
                .should().dependOnClassesThat().resideInAnyPackage("org.apache.kafka..", "io.undertow..")
                .because("the rules engine knows nothing of Kafka or sockets").check(classes);
        noClasses().that().resideOutsideOfPackages("io.undercurrent.ingest..", "io.undercurrent.server..")
                .should().dependOnClassesThat().resideInAPackage("io.debezium..")
                .because("Debezium stays behind cdc-ingest").check(classes);
    }
}
