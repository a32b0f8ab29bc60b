package io.cxpulse.streams;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

import org.junit.jupiter.api.Test;

/**
 * The layout of metrics-streams (docs/architecture.md): building blocks ({@code intake}, {@code window},
 * {@code state}, {@code alert}, {@code topic}) know no feature; each feature ({@code survey}, {@code ticket},
 * {@code friction}) uses building blocks and no other feature; the adapters ({@code metrics}, {@code query}) and
 * the application on top may use them all; no two packages depend on each other.
 */
class PackageLayoutTest {
    private static final String ROOT = "io.cxpulse.streams";
    private static final String[] FEATURES = {"survey", "ticket", "friction"};
    private static final String[] BUILDING_BLOCKS = {"intake", "window", "state", "alert", "topic"};
    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages(ROOT);

    @Test
    void shouldKeepEachFeatureOffTheOthers() {
        for (String feature : FEATURES) {
            for (String other : FEATURES) {
                if (!other.equals(feature)) {
                    noClasses().that().resideInAPackage(ROOT + "." + feature + "..")
                            .should().dependOnClassesThat().resideInAPackage(ROOT + "." + other + "..")
                            .check(CLASSES);
                }
            }
        }
    }

    @Test
    void shouldKeepBuildingBlocksOffFeaturesAdaptersAndTheApplication() {
        for (String block : BUILDING_BLOCKS) {
            noClasses().that().resideInAPackage(ROOT + "." + block + "..")
                    .should().dependOnClassesThat().resideInAnyPackage(ROOT, ROOT + ".survey..", ROOT + ".ticket..",
                            ROOT + ".friction..", ROOT + ".metrics..", ROOT + ".query..")
                    .check(CLASSES);
        }
    }

    @Test
    void shouldKeepFeaturesOffAdaptersAndTheApplication() {
        for (String feature : FEATURES) {
            noClasses().that().resideInAPackage(ROOT + "." + feature + "..")
                    .should().dependOnClassesThat().resideInAnyPackage(ROOT, ROOT + ".metrics..", ROOT + ".query..")
                    .check(CLASSES);
        }
    }

    @Test
    void shouldHaveNoCycleBetweenPackages() {
        slices().matching(ROOT + ".(*)..").should().beFreeOfCycles().check(CLASSES);
    }
}
