package dev.batchscope.launcher;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line of a packaged Quarkus service ({@code <module>/target/quarkus-app/quarkus-run.jar}) run as a JVM of
 * its own, bound to loopback on {@code port}: the one recipe of the CLI's local stack and the tests.
 */
public final class ServiceCommand {
    private ServiceCommand() {
    }

    /** Where Quarkus packages a module's fast-jar. */
    public static Path packagedJar(Path moduleDir) {
        return moduleDir.resolve("target").resolve("quarkus-app").resolve("quarkus-run.jar");
    }

    /** The java of this JVM, so that a service runs on the same Java as whoever starts it. */
    public static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /**
     * {@code java <jvmOptions> -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port=<port> -jar <jar>}: -D settings are
     * Quarkus' strongest config source, so nothing in the environment or application.properties moves the service.
     */
    public static List<String> of(Path jar, int port, List<String> jvmOptions) {
        List<String> command = new ArrayList<>();
        command.add(java());
        command.addAll(jvmOptions);
        command.add("-Dquarkus.http.host=" + LoopbackPorts.HOST);
        command.add("-Dquarkus.http.port=" + port);
        command.add("-jar");
        command.add(jar.toString());
        return command;
    }
}
