package dev.refgateway.gateway;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The packages import downwards only (docs/architecture.md): one package per capability, no cycles between them,
 * the foundations using nothing of the gateway, and no capability reaching up into the pipeline that runs it or the
 * settings that assemble it.
 */
@AnalyzeClasses(packages = "dev.refgateway.gateway", importOptions = ImportOption.DoNotIncludeTests.class)
class PackageDependenciesTest {

    private static final String GATEWAY = "dev.refgateway.gateway..";

    @ArchTest
    static final ArchRule packagesHaveNoCycles = slices().matching("dev.refgateway.gateway.(*)..")
            .should().beFreeOfCycles();

    @ArchTest
    static final ArchRule http1UsesNothingOfTheGateway = foundation("http1");

    @ArchTest
    static final ArchRule problemUsesNothingOfTheGateway = foundation("problem");

    @ArchTest
    static final ArchRule configUsesNothingOfTheGateway = foundation("config");

    @ArchTest
    static final ArchRule capabilitiesNeverReachUpIntoThePipelineOrTheSettings = noClasses()
            .that().resideOutsideOfPackages("dev.refgateway.gateway", "dev.refgateway.gateway.pipeline..",
                                            "dev.refgateway.gateway.settings..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.refgateway.gateway",
                                                                "dev.refgateway.gateway.pipeline..",
                                                                "dev.refgateway.gateway.settings..");

    @ArchTest
    static final ArchRule settingsNeverUseThePipeline = noClasses()
            .that().resideInAPackage("dev.refgateway.gateway.settings..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.refgateway.gateway",
                                                                "dev.refgateway.gateway.pipeline..");

    private static ArchRule foundation(String name) {
        String own = "dev.refgateway.gateway." + name + "..";
        return noClasses().that().resideInAPackage(own)
                .should().dependOnClassesThat(resideInAPackage(GATEWAY).and(resideOutsideOfPackage(own)))
                .as(name + " uses nothing of the gateway");
    }
}
