package dev.racelab;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static org.assertj.core.api.Assertions.assertThat;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.racelab.internal.vocab.StrategyId;
import dev.racelab.testing.Repo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
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
        // racelab-core's test jar (its contracts and test helpers) is on this module's test class path too.
        ImportOption noTestJars = location -> !location.contains("-tests.jar");
        main = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(noTestJars).importPackages("dev.racelab");
    }

    @Test
    void coreImportsNothingOfRacelab() {
        noClasses().that().resideInAPackage("dev.racelab.core..")
                .should().dependOnClassesThat(resideInAPackage("dev.racelab..").and(not(resideInAPackage("dev.racelab.core.."))))
                .check(main);
    }

    /**
     * The public API (the model, retry, the store SPI and its test kit) never leans on racelab's
     * internals, so an application that uses it is not tied to them; library and junit may use them inside.
     */
    @Test
    void thePublicApiDependsOnNoInternalPackage() {
        noClasses().that().resideInAnyPackage("dev.racelab.core..", "dev.racelab.retry..", "dev.racelab.store..")
                .should().dependOnClassesThat().resideInAPackage("dev.racelab.internal..").check(main);
    }

    /**
     * The store SPI (racelab-store-spi) is the roles, their capabilities, the provider and their
     * values: it uses nothing of racelab but the model, so a store written outside racelab needs
     * nothing else. OS plumbing, server control and settings live in internal packages.
     */
    @Test
    void theStoreSpiDependsOnNothingOfRacelabButTheModel() {
        noClasses().that().resideInAPackage("dev.racelab.store")
                .should().dependOnClassesThat(resideInAPackage("dev.racelab..")
                        .and(not(resideInAnyPackage("dev.racelab.store", "dev.racelab.core.."))))
                .check(main);
    }

    /** The test kit (racelab-store-testkit) proves a store through the SPI alone: the model, the SPI, JUnit and AssertJ. */
    @Test
    void theTestKitDependsOnlyOnTheSpiAndTheModel() {
        noClasses().that().resideInAPackage("dev.racelab.store.testkit..")
                .should().dependOnClassesThat(resideInAPackage("dev.racelab..")
                        .and(not(resideInAnyPackage("dev.racelab.store", "dev.racelab.store.testkit..", "dev.racelab.core.."))))
                .check(main);
        noClasses().that().resideInAPackage("dev.racelab.store.testkit..")
                .should().dependOnClassesThat(not(resideInAnyPackage("dev.racelab..", "java..", "org.junit..", "org.assertj..")))
                .check(main);
        noClasses().that().resideOutsideOfPackage("dev.racelab.store.testkit..")
                .should().dependOnClassesThat().resideInAPackage("dev.racelab.store.testkit..").check(main);
    }

    @Test
    void noStorePackageImportsAnother() {
        slices().matching("dev.racelab.internal.store.(*)..").should().notDependOnEachOther().check(main);
    }

    @Test
    void nothingOutsideAStoresPackageNamesIt() {
        Set<String> storePackages = main.stream().map(JavaClass::getPackageName)
                .filter(p -> p.startsWith("dev.racelab.internal.store.")).collect(Collectors.toCollection(TreeSet::new));
        assertThat(storePackages).as("the store packages").contains("dev.racelab.internal.store.jdbc", "dev.racelab.internal.store.redis",
                "dev.racelab.internal.store.dynamodb", "dev.racelab.internal.store.zookeeper", "dev.racelab.internal.store.redisson",
                "dev.racelab.internal.store.etcd");
        for (String store : storePackages) {
            noClasses().that().resideOutsideOfPackage(store + "..").should().dependOnClassesThat().resideInAPackage(store + "..")
                    .check(main);
        }
    }

    @Test
    void onlyCliHttpAndRunWireStoresStrategiesAndScenariosTogether() {
        // library's LeaseLock opens a Redis or ZooKeeper store by name, as the commands do
        noClasses().that().resideOutsideOfPackages("dev.racelab.internal.cli..", "dev.racelab.internal.http..", "dev.racelab.internal.run..",
                        "dev.racelab.internal.registry..", "dev.racelab.library..")
                .should().dependOnClassesThat().resideInAPackage("dev.racelab.internal.registry..").check(main);
        noClasses().that().resideOutsideOfPackages("dev.racelab.internal.cli..", "dev.racelab.internal.http..", "dev.racelab.internal.run..",
                        "dev.racelab.internal.strategy..")
                .should().dependOnClassesThat().haveFullyQualifiedName("dev.racelab.internal.strategy.StrategyContext").check(main);
        noClasses().that().resideInAnyPackage("dev.racelab.store..", "dev.racelab.internal.store..", "dev.racelab.internal.strategy..", "dev.racelab.internal.scenario..",
                        "dev.racelab.internal.check..", "dev.racelab.internal.history..", "dev.racelab.internal.report..", "dev.racelab.internal.load..",
                        "dev.racelab.internal.probe..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.racelab.internal.run..", "dev.racelab.internal.cli..", "dev.racelab.internal.http..")
                .check(main);
    }

    /** The library face is small: the model, retry and the store seam, never the runner or the commands. */
    @Test
    void theLibraryUsesOnlyTheModelRetryAndTheStoreSeam() {
        noClasses().that().resideInAPackage("dev.racelab.library..").should().dependOnClassesThat()
                .resideInAnyPackage("dev.racelab.internal.run..", "dev.racelab.internal.cli..", "dev.racelab.internal.http..", "dev.racelab.internal.strategy..",
                        "dev.racelab.internal.scenario..", "dev.racelab.internal.report..", "dev.racelab.internal.load..", "dev.racelab.internal.probe..",
                        "dev.racelab.internal.check..", "dev.racelab.internal.history..")
                .check(main);
        noClasses().that().resideOutsideOfPackages("dev.racelab.library..", "dev.racelab.junit..")
                .should().dependOnClassesThat().resideInAPackage("dev.racelab.library..").check(main);
    }

    @Test
    void probeIsTheEngineAndLoadAPresetOfIt() {
        noClasses().that().resideInAPackage("dev.racelab.internal.probe..").should().dependOnClassesThat()
                .resideInAnyPackage("dev.racelab.internal.load..", "dev.racelab.store..", "dev.racelab.internal.store..", "dev.racelab.internal.strategy..", "dev.racelab.internal.run..")
                .check(main);
    }

    /** The lab makes hosts and starts servers: it uses the model, the JSON mapper and the shared vocabulary, and nothing that runs or wires races. */
    @Test
    void theLabUsesOnlyTheModelAndJson() {
        noClasses().that().resideInAPackage("dev.racelab.internal.lab..")
                .should().dependOnClassesThat(resideInAPackage("dev.racelab..").and(not(resideInAnyPackage(
                        "dev.racelab.internal.lab..", "dev.racelab.core..", "dev.racelab.internal.json..", "dev.racelab.store",
                        "dev.racelab.internal.vocab.."))))
                .check(main);
        noClasses().that().resideOutsideOfPackages("dev.racelab.internal.lab..", "dev.racelab.internal.cli..")
                .should().dependOnClassesThat().resideInAPackage("dev.racelab.internal.lab..").check(main);
    }

    /** The command line's Java face is one class over the commands, and nothing of racelab calls it. */
    @Test
    void theCommandLinesJavaFaceOnlyCallsTheCommands() {
        noClasses().that().resideInAPackage("dev.racelab.cli..").should().dependOnClassesThat(resideInAPackage("dev.racelab..")
                .and(not(resideInAnyPackage("dev.racelab.cli..", "dev.racelab.internal.cli..")))).check(main);
        noClasses().that().resideOutsideOfPackage("dev.racelab.cli..").should().dependOnClassesThat().resideInAPackage("dev.racelab.cli..")
                .check(main);
    }


    /** The vocabulary every layer shares (fault kinds, strategy identities, verdicts) leans on nothing but the model, so every layer may use it. */
    @Test
    void theVocabularyUsesOnlyTheModel() {
        noClasses().that().resideInAPackage("dev.racelab.internal.vocab..")
                .should().dependOnClassesThat(resideInAPackage("dev.racelab..").and(not(resideInAnyPackage(
                        "dev.racelab.internal.vocab..", "dev.racelab.core.."))))
                .check(main);
    }

    /**
     * A strategy's name is written once, in its identity ({@code StrategyId}); everything else names it by that type, so a
     * rename cannot leave a comparison with the old name behind. Prose that mentions a strategy (help, errors) is not a
     * literal of its name alone. Two files use a word that is also a strategy's name, for something else: SQL's
     * coalesce() in the probe's check expressions and the SERIALIZABLE isolation level.
     */
    @Test
    void noStrategyNameIsALiteralOutsideItsIdentity() throws IOException {
        Set<String> names = Arrays.stream(StrategyId.values()).map(StrategyId::flagName).collect(Collectors.toSet());
        Set<String> elsewhere = Set.of("StrategyId.java", "CheckExpression.java", "IsolationLevel.java");
        Pattern literal = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"");
        List<String> found = new ArrayList<>();
        for (String module : List.of("racelab-core", "racelab-cli", "racelab-junit", "racelab-spring")) {
            Path root = Repo.path(module + "/src/main/java");
            assertThat(root).as(module + "'s sources").isDirectory();
            try (Stream<Path> files = Files.walk(root)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                    if (elsewhere.contains(file.getFileName().toString())) continue;
                    List<String> lines = Files.readAllLines(file);
                    for (int i = 0; i < lines.size(); i++) {
                        Matcher m = literal.matcher(lines.get(i));
                        while (m.find()) {
                            boolean onlyNames = Arrays.stream(m.group(1).split("\\s*[,|]\\s*", -1)).allMatch(names::contains);
                            if (onlyNames) found.add(root.relativize(file) + ":" + (i + 1) + ": " + m.group());
                        }
                    }
                }
            }
        }
        assertThat(found).as("strategy names written as literals; name them by StrategyId").isEmpty();
    }

    @Test
    void noCyclesBetweenPackages() {
        // racelab-junit's API and its internal package are one unit, as in Jdbi: the API's factories name their
        // implementations and the implementations return the API's types.
        slices().matching("dev.racelab.(**)").should().beFreeOfCycles()
                .ignoreDependency(resideInAPackage("dev.racelab.junit.."), resideInAPackage("dev.racelab.junit..")).check(main);
    }

    /** racelab-junit uses only what racelab-core will hold: core, retry, history, check, store and the shared lock-wait views. */
    @Test
    void theJUnitExtensionUsesOnlyTheCorePackages() {
        noClasses().that().resideInAPackage("dev.racelab.junit..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.racelab.internal.run..", "dev.racelab.internal.cli..", "dev.racelab.internal.http..",
                        "dev.racelab.internal.load..", "dev.racelab.internal.probe..", "dev.racelab.internal.advise..", "dev.racelab.internal.isolation..",
                        "dev.racelab.internal.registry..", "dev.racelab.internal.strategy..", "dev.racelab.internal.scenario..", "dev.racelab.internal.report..")
                .check(main);
        // racelab-spring (dev.racelab.spring) is racelab-junit's one user: it implements junit.internal's RaceHost.
        noClasses().that().resideOutsideOfPackages("dev.racelab.junit..", "dev.racelab.spring..")
                .should().dependOnClassesThat().resideInAPackage("dev.racelab.junit..").check(main);
        noClasses().that().resideInAPackage("dev.racelab.internal.sqlwait..")
                .should().dependOnClassesThat(resideInAPackage("dev.racelab..").and(not(resideInAPackage("dev.racelab.internal.sqlwait.."))))
                .check(main);
    }
}
