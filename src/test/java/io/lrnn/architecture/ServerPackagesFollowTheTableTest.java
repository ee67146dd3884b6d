package io.lrnn.architecture;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * SERVICE.md's package table: which of the server's packages may import which. Three rows are
 * not in that table: {@code common} (the exception base, the JSON mapper, the capped stream) and
 * {@code config} (the properties), which every package may use, and {@code store} (the
 * database's health and what counts as its outage), which the error mapper uses. A package with no row here may not exist,
 * so a new package has to be added to the table first.
 */
class ServerPackagesFollowTheTableTest {

    private static final String SERVER = "io.lrnn.server.";
    private static final String ENGINE = "io.lrnn.engine..";

    /** Package (under io.lrnn.server) -> the first-party packages it may import besides itself. */
    static final Map<String, List<String>> MAY_IMPORT = Map.ofEntries(
            Map.entry("models", List.of(ENGINE)),
            // The engine's types (task, specs) reach predict through the models it serves.
            Map.entry("predict", List.of(SERVER + "models..", ENGINE)),
            Map.entry("jobs", List.of()),
            Map.entry("datasets", List.of()),
            Map.entry("training", List.of(SERVER + "jobs..", SERVER + "datasets..", SERVER + "models..", ENGINE)),
            Map.entry("grpc", List.of(SERVER + "predict..", SERVER + "models..", ENGINE)),
            Map.entry("console", List.of()),
            Map.entry("store", List.of()),
            // The error mapper tells a store outage (503) from a bug (500).
            Map.entry("web", List.of(SERVER + "store..")),
            Map.entry("config", List.of()),
            Map.entry("common", List.of()));

    static JavaClasses server;

    @BeforeAll
    static void importServer() {
        server = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.lrnn.server");
    }

    static Stream<Arguments> packages() {
        return MAY_IMPORT.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> Arguments.of(e.getKey(), e.getValue()));
    }

    @ParameterizedTest(name = "{0} imports only {1}")
    @MethodSource("packages")
    void packageImportsOnlyWhatItsRowAllows(String name, List<String> allowed) {
        List<String> packages = new ArrayList<>(allowed);
        packages.addAll(List.of(SERVER + name + "..", SERVER + "common..", SERVER + "config.."));
        classes().that().resideInAPackage(SERVER + name + "..")
                .should().onlyDependOnClassesThat(resideOutsideOfPackage("io.lrnn..")
                        .or(resideInAnyPackage(packages.toArray(String[]::new))))
                .allowEmptyShould(true)
                .check(server);
    }

    @Test
    void everyServerClassIsInAPackageOfTheTable() {
        List<String> known = new ArrayList<>(MAY_IMPORT.keySet().stream().map(p -> SERVER + p + "..").toList());
        known.add("io.lrnn.server");
        classes().should().resideInAnyPackage(known.toArray(String[]::new)).check(server);
    }
}
