package dev.batchscope.trainer.engine;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docs/design.md#2-modules: the engine runs from a plain main or a benchmark, so it depends on none of the service's
 * frameworks nor on the trainer's service packages. ArchUnit reads the bytecode: a fully qualified name or a static
 * import counts as much as an import (a compile-time constant is inlined by javac and leaves no trace to read).
 * {@link EngineIndependenceRuleTest} shows the rule failing on classes that break it.
 *
 * <p>A plain JUnit test rather than an {@code @ArchTest} field: Surefire's {@code -Dtest} filter matches classes and
 * methods, and left the field-based rule unrun (0 tests) when it selected this class.
 */
class EngineIndependenceTest {
    static final String ENGINE = "dev.batchscope.trainer.engine";

    static final ArchRule ENGINE_IS_PLAIN_JAVA = noClasses().that().resideInAPackage(ENGINE + "..")
            .should().dependOnClassesThat().resideInAnyPackage(
                    "io.quarkus..", "io.smallrye..", "org.apache.kafka..", "jakarta..", "io.micrometer..",
                    "org.eclipse.microprofile..", "dev.batchscope.events.kafka..",
                    "dev.batchscope.trainer.kafka..", "dev.batchscope.trainer.runs..", "dev.batchscope.trainer.config..")
            .because("the engine runs from a plain main or a benchmark (docs/design.md#2-modules)");

    @Test
    void engineDependsOnNoServiceFrameworkNorServicePackage() {
        JavaClasses engine = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(ENGINE);
        assertTrue(engine.contain(Trainer.class) && engine.contain(DenseSteps.class), "the engine's classes are read");
        ENGINE_IS_PLAIN_JAVA.check(engine);
    }
}
