package dev.batchscope.launcher;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.IntSupplier;

/**
 * Waits for services to answer {@code /q/health/ready} with 200 (for batchscope's services: connected to Kafka, and
 * their state rebuilt from the topics). A service whose process exits first, or that is late, fails the wait at once
 * with the end of its log.
 */
public final class Readiness {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final Duration POLL = Duration.ofMillis(200);
    private static final int LOG_LINES = 30;

    private Readiness() {
    }

    /**
     * One service to wait for.
     *
     * @param url      its base URL, no trailing slash
     * @param alive    whether its process still runs
     * @param exitCode its exit code once it has exited, or -1 where the process is not this JVM's child
     * @param log      its log file
     * @param shown    how a failure message names the log (say, relative to the user's directory)
     */
    public record Target(String name, String url, BooleanSupplier alive, IntSupplier exitCode, Path log, String shown) {
        /** A process this JVM started. */
        public static Target of(String name, String url, Process process, Path log) {
            return new Target(name, url, process::isAlive, process::exitValue, log, log.toString());
        }
    }

    /** A service exited before it was ready, or was not ready in time. */
    public static final class NotReadyException extends IllegalStateException {
        NotReadyException(String message) {
            super(message);
        }
    }

    /** Whether the service at {@code url} answers its readiness check now. */
    public static boolean isReady(String url) {
        HttpRequest ready = HttpRequest.newBuilder(URI.create(url + "/q/health/ready")).timeout(Duration.ofSeconds(2))
                .build();
        try {
            return HTTP.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException notYet) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Waits for all of {@code targets} side by side, telling {@code onReady} about each as it gets there. */
    public static void awaitAll(List<Target> targets, Duration timeout, Consumer<Target> onReady)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Set<Target> waiting = new LinkedHashSet<>(targets);
        while (!waiting.isEmpty()) {
            for (Target target : List.copyOf(waiting)) {
                if (!target.alive().getAsBoolean()) {
                    int code = target.exitCode().getAsInt();
                    throw new NotReadyException(target.name() + " exited" + (code >= 0 ? " with " + code : "")
                            + " while starting. Last lines of "
                            + target.shown() + ":\n" + LogTail.of(target.log(), LOG_LINES));
                }
                if (isReady(target.url())) {
                    waiting.remove(target);
                    onReady.accept(target);
                }
            }
            if (!waiting.isEmpty()) {
                if (System.nanoTime() > deadline) {
                    Target late = waiting.iterator().next();
                    throw new NotReadyException(late.name() + " was not ready after " + timeout.toSeconds()
                            + " s. Last lines of " + late.shown() + ":\n" + LogTail.of(late.log(), LOG_LINES));
                }
                Thread.sleep(POLL.toMillis());
            }
        }
    }
}
