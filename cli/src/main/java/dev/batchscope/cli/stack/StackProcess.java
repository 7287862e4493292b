package dev.batchscope.cli.stack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

    /** How a process was started: enough to start it again exactly the same way. */
    record Image(List<String> command, Map<String, String> environment, Path directory) {
    }

    /**
     * Reads how a live process was started from /proc (its argument vector, environment and working directory), so
     * that a restart uses the same ports, flags and settings whoever started it.
     */
    static Image image(long pid) {
        Path proc = Path.of("/proc", Long.toString(pid));
        try {
            List<String> command = nulSeparated(Files.readAllBytes(proc.resolve("cmdline")));
            Map<String, String> environment = new LinkedHashMap<>();
            for (String entry : nulSeparated(Files.readAllBytes(proc.resolve("environ")))) {
                int eq = entry.indexOf('=');
                if (eq > 0) {
                    environment.put(entry.substring(0, eq), entry.substring(eq + 1));
                }
            }
            if (command.isEmpty()) {
                throw new IOException("empty command line");
            }
            return new Image(command, environment, Files.readSymbolicLink(proc.resolve("cwd")));
        } catch (IOException e) {
            throw new StackException("cannot read how process " + pid + " was started from " + proc + " ("
                    + e.getMessage() + "); restarting a process of the stack needs Linux's /proc");
        }
    }

    private static List<String> nulSeparated(byte[] bytes) {
        List<String> parts = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == 0) {
                parts.add(new String(bytes, start, i - start, StandardCharsets.UTF_8));
                start = i + 1;
            }
        }
        if (start < bytes.length) {
            parts.add(new String(bytes, start, bytes.length - start, StandardCharsets.UTF_8));
        }
        return parts;
    }

    /** SIGKILL, then waits until the process is gone. Returns false when it was not running. */
    static boolean kill(long pid, Long startMillis) {
        Optional<ProcessHandle> handle = find(pid, startMillis);
        if (handle.isEmpty()) {
            return false;
        }
        handle.get().destroyForcibly();
        try {
            handle.get().onExit().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new StackException("process " + pid + " did not exit within 30 s of SIGKILL");
        }
        return true;
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
