package dev.batchscope.cli.stack;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Builds the services' jars and the broker's libraries from the checkout, once, when {@code up} finds them missing: the
 * third of the local stack's jobs beside its lifecycle ({@link LocalStack}) and how each service runs
 * ({@link ServiceRecipe}).
 */
final class ServiceBuild {
    private ServiceBuild() {
    }

    static void ensureBuilt(StackLayout layout, PrintWriter out) throws IOException, InterruptedException {
        if (layout.built()) {
            return;
        }
        if (!layout.isCheckout()) {
            throw new StackException(layout.root() + " is not a batchscope checkout, so the services cannot be built "
                    + "there; run ./batchscope from the checkout, or set BATCHSCOPE_HOME to it");
        }
        Files.createDirectories(layout.logDir());
        Path log = layout.logDir().resolve("build.log");
        out.println("building the services once (a few minutes); log in " + StackLayout.display(log));
        out.flush();
        // the services and the broker's jars only: rebuilding the CLI would replace the jar this command runs from
        Process build = new ProcessBuilder(layout.root().resolve("mvnw").toString(), "-B", "install", "-DskipTests",
                "-pl", "infra,scheduler-service,trainer-service,metrics-service", "-am")
                .directory(layout.root().toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        if (build.waitFor() != 0 || !layout.built()) {
            throw new StackException("the build failed; last lines of " + StackLayout.display(log) + ":\n"
                    + ServiceLauncher.tail(log, 20));
        }
    }
}
