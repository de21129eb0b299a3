package dev.racelab;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layering, as CONTRIBUTING.md states it, checked on the main classes. The registry finds
 * the stores with ServiceLoader, so no code outside a store's package names it.
 */
class ArchitectureTest {
    private static JavaClasses main;

    @BeforeAll
    static void importMain() {
        main = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("dev.racelab");
    }

    @Test
    void coreImportsNothingOfRacelab() {
        noClasses().that().resideInAPackage("dev.racelab.core..")
                .should().dependOnClassesThat(resideInAPackage("dev.racelab..").and(not(resideInAPackage("dev.racelab.core.."))))
                .check(main);
    }

    @Test
    void noStorePackageImportsAnother() {
        slices().matching("dev.racelab.store.(*)..").should().notDependOnEachOther().check(main);
    }

    @Test
    void nothingOutsideAStoresPackageNamesIt() {
        noClasses().that().resideOutsideOfPackages("dev.racelab.store.jdbc..").should().dependOnClassesThat()
                .resideInAPackage("dev.racelab.store.jdbc..").check(main);
        noClasses().that().resideOutsideOfPackages("dev.racelab.store.redis..").should().dependOnClassesThat()
                .resideInAPackage("dev.racelab.store.redis..").check(main);
        noClasses().that().resideOutsideOfPackages("dev.racelab.store.dynamodb..").should().dependOnClassesThat()
                .resideInAPackage("dev.racelab.store.dynamodb..").check(main);
    }

    @Test
    void onlyCliHttpAndRunWireStoresStrategiesAndScenariosTogether() {
        noClasses().that().resideOutsideOfPackages("dev.racelab.cli..", "dev.racelab.http..", "dev.racelab.run..",
                        "dev.racelab.registry..")
                .should().dependOnClassesThat().resideInAPackage("dev.racelab.registry..").check(main);
        noClasses().that().resideOutsideOfPackages("dev.racelab.cli..", "dev.racelab.http..", "dev.racelab.run..",
                        "dev.racelab.strategy..")
                .should().dependOnClassesThat().haveFullyQualifiedName("dev.racelab.strategy.StrategyContext").check(main);
        noClasses().that().resideInAnyPackage("dev.racelab.store..", "dev.racelab.strategy..", "dev.racelab.scenario..",
                        "dev.racelab.check..", "dev.racelab.history..", "dev.racelab.report..", "dev.racelab.load..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.racelab.run..", "dev.racelab.cli..", "dev.racelab.http..")
                .check(main);
    }

    @Test
    void noCyclesBetweenPackages() {
        slices().matching("dev.racelab.(**)").should().beFreeOfCycles().check(main);
    }
}
