package io.lrnn.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** SERVICE.md: the engine is a plain library (EJML, JDK, Jackson for its file format). */
@AnalyzeClasses(packages = "io.lrnn", importOptions = ImportOption.DoNotIncludeTests.class)
class EngineIsAPlainLibraryTest {

    @ArchTest
    static final ArchRule engineDoesNotUseSpring = noClasses().that().resideInAPackage("io.lrnn.engine..")
            .should().dependOnClassesThat().resideInAnyPackage("org.springframework..", "jakarta..");

    @ArchTest
    static final ArchRule engineDoesNotUseTheServer = noClasses().that().resideInAPackage("io.lrnn.engine..")
            .should().dependOnClassesThat().resideInAPackage("io.lrnn.server..");

    @ArchTest
    static final ArchRule onlyTheFileFormatUsesJackson = noClasses().that()
            .resideInAnyPackage("io.lrnn.engine", "io.lrnn.engine.train")
            .should().dependOnClassesThat().resideInAnyPackage("tools.jackson..", "com.fasterxml..");

    @ArchTest
    static final ArchRule coreEngineDoesNotDependOnTrainingOrFiles = noClasses().that()
            .resideInAPackage("io.lrnn.engine")
            .should().dependOnClassesThat().resideInAnyPackage("io.lrnn.engine.train..", "io.lrnn.engine.io..");
}
