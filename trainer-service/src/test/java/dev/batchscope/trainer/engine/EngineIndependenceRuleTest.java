package dev.batchscope.trainer.engine;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import org.junit.jupiter.api.Test;

import static jakarta.enterprise.inject.spi.CDI.current;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link EngineIndependenceTest}'s rule fails on test-only engine classes that break it, each in its own way. */
class EngineIndependenceRuleTest {

    @Test
    void aFullyQualifiedKafkaTypeBreaksTheRule() {
        assertViolation(UsesKafkaByItsFullName.class, "org.apache.kafka.clients.producer.ProducerRecord");
    }

    @Test
    void aStaticallyImportedMethodBreaksTheRule() {
        assertViolation(UsesCdiByStaticImport.class, "jakarta.enterprise.inject.spi.CDI.current()");
    }

    @Test
    void aTrainerServicePackageBreaksTheRule() {
        assertViolation(UsesTheRunsPackage.class, "dev.batchscope.trainer.runs");
    }

    @Test
    void theEnginesOwnClassesPass() {
        EngineIndependenceTest.ENGINE_IS_PLAIN_JAVA.check(new ClassFileImporter().importClasses(Trainer.class,
                TrainingPlan.class, DenseSteps.class));
    }

    private static void assertViolation(Class<?> fixture, String named) {
        JavaClasses classes = new ClassFileImporter().importClasses(fixture);
        AssertionError failure = assertThrows(AssertionError.class,
                () -> EngineIndependenceTest.ENGINE_IS_PLAIN_JAVA.check(classes));
        assertTrue(failure.getMessage().contains(fixture.getName()) && failure.getMessage().contains(named),
                failure.getMessage());
    }

    /** In the engine's package, as the rule sees it; never used. */
    static final class UsesKafkaByItsFullName {
        org.apache.kafka.clients.producer.ProducerRecord<String, String> record(String value) {
            return new org.apache.kafka.clients.producer.ProducerRecord<>("topic", value);
        }
    }

    static final class UsesCdiByStaticImport {
        Object bean() {
            return current();
        }
    }

    static final class UsesTheRunsPackage {
        String name() {
            return dev.batchscope.trainer.runs.RunExecutor.class.getSimpleName();
        }
    }
}
