package dev.batchscope.cli.stack;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** A process of the stack, found again by pid and start time. */
final class StackProcess {
    /** Start times read back from /proc are rounded to clock ticks. */
    private static final long START_TOLERANCE_MILLIS = 1000;

    private StackProcess() {
    }

    /** The start time of a live process, for recognising it later; null when the system does not tell. */
    static Long startMillis(long pid) {
        return ProcessHandle.of(pid).flatMap(h -> h.info().startInstant()).map(Instant::toEpochMilli).orElse(null);
    }

    /** The process with this pid, if it is alive and is the one that started at {@code startMillis}. */
    static Optional<ProcessHandle> find(long pid, Long startMillis) {
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(handle -> {
            if (startMillis == null) {
                return true;
            }
            Optional<Instant> started = handle.info().startInstant();
            return started.isEmpty() || Math.abs(started.get().toEpochMilli() - startMillis) <= START_TOLERANCE_MILLIS;
        });
    }

    static boolean isRunning(long pid, Long startMillis) {
        return find(pid, startMillis).isPresent();
    }

    /**
     * SIGTERM, and SIGKILL if it is still there after {@code grace}: the services flush their producers and
     * trainers checkpoint their run on a normal stop. Returns false when the process was not running.
     */
    static boolean stop(long pid, Long startMillis, Duration grace) {
        Optional<ProcessHandle> handle = find(pid, startMillis);
        if (handle.isEmpty()) {
            return false;
        }
        handle.get().destroy();
        try {
            handle.get().onExit().get(grace.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception stillThere) {
            handle.get().destroyForcibly();
            try {
                handle.get().onExit().get(10, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // reported by the caller's check that nothing is left
            }
        }
        return true;
    }
}
