package dev.batchscope.infra.compose;

import dev.batchscope.infra.support.BookwormApt;
import dev.batchscope.infra.support.Dockerfiles;
import dev.batchscope.infra.support.Repo;
import dev.batchscope.infra.support.ServiceModule;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The services' Dockerfiles, read as text (no Docker engine here) and their apt packages resolved by apt. */
class DockerfilesTest {
    private static final Pattern APT_INSTALL = Pattern.compile("apt-get install -y --no-install-recommends ([^&]+)");
    private static final String FASHION_MNIST = "/usr/share/datasets/fashion-mnist";

    @Test
    void eachServiceImageRunsItsQuarkusFastJarOnItsPortAsANonRootUser() {
        for (ServiceModule module : ServiceModule.all()) {
            for (String variant : variants(module)) {
                Path dockerfile = module.dockerfile(variant);
                List<String> stage = Dockerfiles.finalStage(dockerfile);
                String where = module.name() + " Dockerfile." + variant;
                for (String part : List.of("lib/", "*.jar", "app/", "quarkus/")) {
                    assertTrue(stage.stream().anyMatch(l -> l.startsWith("COPY") && l.contains("target/quarkus-app/" + part)),
                            where + " does not copy target/quarkus-app/" + part);
                }
                assertTrue(stage.stream().anyMatch(l -> l.startsWith("ENTRYPOINT") && l.contains("quarkus-run.jar")), where);
                assertTrue(stage.contains("EXPOSE " + module.httpPort()), where + " does not expose " + module.httpPort());
                String user = stage.stream().filter(l -> l.startsWith("USER ")).reduce((a, b) -> b)
                        .orElseThrow(() -> new AssertionError(where + " runs as root"));
                assertFalse(user.equals("USER root") || user.equals("USER 0"), where + " runs as root");
                String env = stage.stream().filter(l -> l.startsWith("ENV ")).collect(Collectors.joining(" "));
                assertTrue(env.contains("QUARKUS_HTTP_HOST=0.0.0.0"), where + " would listen on loopback only");
                assertTrue(module.readsEnvironmentVariable("QUARKUS_HTTP_HOST"));
                assertTrue(module.readsEnvironmentVariable("JAVA_OPTS"), where + " entry point ignores JAVA_OPTS");
            }
        }
    }

    @Test
    void trainerImagesCarryFashionMnistWhereTheTrainerLooksForIt() {
        ServiceModule trainer = ServiceModule.named("trainer-service");
        String jvm = String.join("\n", Dockerfiles.finalStage(trainer.dockerfile("jvm")));
        assertTrue(aptPackages(trainer.dockerfile("jvm")).contains("dataset-fashion-mnist"),
                "the trainer image must install Debian's dataset-fashion-mnist");
        assertFalse(jvm.isEmpty());
        String cuda = ServiceModule.read(trainer.dockerfile("cuda"));
        assertTrue(aptPackages(trainer.dockerfile("cuda")).contains("dataset-fashion-mnist"));
        assertTrue(cuda.contains("COPY --from=dataset " + FASHION_MNIST + "/ " + FASHION_MNIST + "/"), cuda);
        // docs/design.md#11-data-locations: the trainer looks in /usr/share/datasets (Debian's dataset packages)
        assertTrue(trainerSourcesMention("/usr/share/datasets"), "the trainer no longer looks in /usr/share/datasets");
    }

    @Test
    void theCudaImageMatchesDl4jsCudaBackend() {
        String pom = ServiceModule.read(Repo.path("pom.xml"));
        Matcher dl4j = Pattern.compile("<dl4j.version>([^<]+)</dl4j.version>").matcher(pom);
        assertTrue(dl4j.find());
        String from = Dockerfiles.finalStage(ServiceModule.named("trainer-service").dockerfile("cuda")).get(0);
        // Deeplearning4j 1.0.0-M2.1 ships nd4j-cuda-11.6 (cuDNN 8): the runtime image must be CUDA 11.6 with cuDNN 8
        assertEquals("1.0.0-M2.1", dl4j.group(1), "check the CUDA base image against the new DL4J version");
        assertTrue(from.matches("FROM nvidia/cuda:11\\.6\\.\\d+-cudnn8-runtime-\\S+"), from);
    }

    /**
     * The Debian images install their packages from bookworm: apt resolves the same package lists against bookworm's
     * index (simulated, nothing installed; see {@link BookwormApt}), so a misspelt or vanished package fails here.
     */
    @Test
    void theDebianPackagesTheImagesInstallExistInBookworm() {
        for (ServiceModule module : ServiceModule.all()) {
            Path dockerfile = module.dockerfile("jvm");
            assertTrue(ServiceModule.read(dockerfile).contains("FROM debian:bookworm"), dockerfile.toString());
            BookwormApt.simulateInstall(aptPackages(dockerfile));
        }
    }

    private static List<String> variants(ServiceModule module) {
        return module.name().equals("trainer-service") ? List.of("jvm", "cuda") : List.of("jvm");
    }

    /** Every package of every `apt-get install` in the file, all stages. */
    private static List<String> aptPackages(Path dockerfile) {
        String joined = ServiceModule.read(dockerfile).replace("\\\n", " ");
        List<String> packages = new ArrayList<>();
        Matcher matcher = APT_INSTALL.matcher(joined);
        while (matcher.find()) {
            Arrays.stream(matcher.group(1).trim().split("\\s+")).filter(p -> !p.isBlank()).forEach(packages::add);
        }
        assertFalse(packages.isEmpty(), dockerfile + " installs no packages");
        return packages;
    }

    private static boolean trainerSourcesMention(String text) {
        Path sources = ServiceModule.named("trainer-service").dir().resolve("src/main/java");
        try (var files = Files.walk(sources)) {
            return files.filter(p -> p.toString().endsWith(".java"))
                    .anyMatch(p -> ServiceModule.read(p).contains(text));
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
