package dev.batchscope.cli.reliability;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/** Polls until a value is there, failing with what was last seen. */
final class Await {
    private static final Duration POLL = Duration.ofMillis(200);

    private Await() {
    }

    /**
     * The first value {@code probe} yields within {@code timeout}.
     *
     * @param lastSeen what to say on a timeout, e.g. the state that was still not right
     */
    static <T> T value(Duration timeout, String what, Supplier<Optional<T>> probe, Supplier<String> lastSeen) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<T> value = probe.get();
            if (value.isPresent()) {
                return value.get();
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + " not within " + timeout.toSeconds() + " s; last seen: " + lastSeen.get());
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + what, e);
            }
        }
    }

    static void until(Duration timeout, String what, Supplier<Boolean> condition, Supplier<String> lastSeen) {
        value(timeout, what, () -> condition.get() ? Optional.of(Boolean.TRUE) : Optional.empty(), lastSeen);
    }
}
