package dev.batchscope.testing.process;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The launcher against a real child JVM, packaged where Quarkus puts a service's fast-jar. */
class ServiceProcessTest {
    private static final Duration READY = Duration.ofSeconds(30);

    @TempDir
    static Path module;
    private static Path jar;

    @BeforeAll
    static void packageTheService() throws IOException {
        jar = ServiceProcess.packagedJar(module.resolve("tiny-service"));
        Files.createDirectories(jar.getParent());
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, TinyHttpService.class.getName());
        String entry = TinyHttpService.class.getName().replace('.', '/') + ".class";
        try (OutputStream file = Files.newOutputStream(jar);
             JarOutputStream out = new JarOutputStream(file, manifest);
             InputStream classFile = TinyHttpService.class.getClassLoader().getResourceAsStream(entry)) {
            assertNotNull(classFile, entry);
            out.putNextEntry(new JarEntry(entry));
            classFile.transferTo(out);
            out.closeEntry();
        }
    }

    @Test
    void startsWithItsSettingsOnAFreeLoopbackPortAndStopsGracefully(@TempDir Path workDir) throws IOException {
        ServiceProcess service = ServiceProcess.builder(jar)
                .env("GREETING", "hello")
                .systemProperty("colour", "blue")
                .jvmOptions("-Xmx64m")
                .directory(workDir)
                .start();
        try {
            service.awaitReady(READY);
            assertEquals("tiny-service", service.name(), "named after the module it was packaged in");
            assertEquals(module.resolve("tiny-service/target/tiny-service.log"), service.log());
            assertEquals("127.0.0.1:" + service.port(), service.address());
            String settings = service.get("/settings");
            assertTrue(settings.startsWith("greeting=hello colour=blue maxHeap="), settings);
            long maxHeap = Long.parseLong(settings.replaceAll(".*maxHeap=(\\d+).*", "$1"));
            assertTrue(maxHeap <= 64L * 1024 * 1024, "-Xmx64m reached the JVM: " + maxHeap);
            assertTrue(settings.endsWith("dir=" + workDir), settings);
            assertNull(service.get("/no-such-path"), "only a 200 is an answer");
            assertTrue(service.cpuSeconds() > 0, "a started JVM has used CPU: " + service.cpuSeconds());
            assertTrue(ProcessHandle.of(service.pid()).isPresent());
        } finally {
            service.close();
        }
        assertFalse(service.isAlive());
        assertNull(service.get("/q/health/ready"));
        String log = Files.readString(service.log());
        assertTrue(log.contains("on port " + service.port()) && log.contains("listening on"), log);
        assertTrue(log.contains("stopped gracefully"), "close() sends SIGTERM first, so shutdown hooks run:\n" + log);
    }

    @Test
    void killStopsItWithoutShutdownHooks(@TempDir Path logs) throws IOException {
        try (ServiceProcess service = ServiceProcess.builder(jar).name("killed").logDir(logs).start()) {
            service.awaitReady(READY);
            service.kill();
            assertFalse(service.isAlive());
            assertFalse(Files.readString(logs.resolve("killed.log")).contains("stopped gracefully"));
        }
    }

    @Test
    void aRestartOnTheSamePortAppendsToTheSameLog(@TempDir Path logs) throws IOException {
        int port;
        try (ServiceProcess first = ServiceProcess.builder(jar).name("twice").logDir(logs).start()) {
            port = first.awaitReady(READY).port();
        }
        try (ServiceProcess second = ServiceProcess.builder(jar).name("twice").logDir(logs).port(port).start()) {
            assertEquals(port, second.awaitReady(READY).port());
        }
        String log = Files.readString(logs.resolve("twice.log"));
        assertEquals(2, log.split("stopped gracefully", -1).length - 1, log);
    }

    @Test
    void closeAllStopsEveryOneGracefully(@TempDir Path logs) throws IOException {
        List<ServiceProcess> services = new ArrayList<>();
        services.add(ServiceProcess.builder(jar).name("one").logDir(logs).start());
        services.add(null);
        services.add(ServiceProcess.builder(jar).name("two").logDir(logs).start());
        services.get(0).awaitReady(READY);
        services.get(2).awaitReady(READY);
        ServiceProcess.closeAll(services);
        for (String name : List.of("one", "two")) {
            assertTrue(Files.readString(logs.resolve(name + ".log")).contains("stopped gracefully"), name);
        }
        assertFalse(services.get(0).isAlive() || services.get(2).isAlive());
    }

    @Test
    void aServiceThatExitsFailsAwaitReadyAtOnceWithItsLog(@TempDir Path logs) throws IOException {
        try (ServiceProcess service = ServiceProcess.builder(jar).logDir(logs).systemProperty("exit.code", "3")
                .start()) {
            long start = System.nanoTime();
            IllegalStateException failure = assertThrows(IllegalStateException.class,
                    () -> service.awaitReady(Duration.ofMinutes(2)));
            assertTrue(Duration.ofNanos(System.nanoTime() - start).toSeconds() < 30, "did not wait for the timeout");
            assertTrue(failure.getMessage().contains("exited with 3"), failure.getMessage());
            assertTrue(failure.getMessage().contains("refusing to start: exit.code=3"), failure.getMessage());
        }
    }

    @Test
    void aServiceNotReadyInTimeFails(@TempDir Path logs) throws IOException {
        try (ServiceProcess service = ServiceProcess.builder(jar).logDir(logs).systemProperty("ready.after.ms",
                "600000").start()) {
            IllegalStateException failure = assertThrows(IllegalStateException.class,
                    () -> service.awaitReady(Duration.ofSeconds(2)));
            assertTrue(failure.getMessage().contains("not ready after 2 s"), failure.getMessage());
            assertTrue(service.isAlive(), "a slow service is left for the caller to close");
        }
    }

    @Test
    void aMissingJarSaysHowToBuildIt(@TempDir Path empty) {
        IllegalStateException failure = assertThrows(IllegalStateException.class,
                () -> ServiceProcess.builder(ServiceProcess.packagedJar(empty.resolve("metrics-service"))).start());
        assertTrue(failure.getMessage().contains("mvn -B -pl metrics-service package -DskipTests"),
                failure.getMessage());
    }
}
