package dev.batchscope.scheduler.support;

import java.time.Duration;
import java.util.function.Supplier;

/** Polls until an assertion holds, then returns; rethrows the last failure when time runs out. */
public final class Eventually {
    private Eventually() {
    }

    public static void within(Duration timeout, Runnable assertion) {
        get(timeout, () -> {
            assertion.run();
            return null;
        });
    }

    public static <T> T get(Duration timeout, Supplier<T> assertion) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                return assertion.get();
            } catch (AssertionError | RuntimeException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
