package dev.batchscope.cli.probe;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * A process's resident memory as Linux reports it in {@code /proc/<pid>/status}: what it holds in RAM now (VmRSS) and
 * the most it has held since it started (VmHWM). Both include native memory (ND4J's arrays, thread stacks), which a
 * JVM's own heap figures leave out.
 */
public final class ProcessMemory {
    private ProcessMemory() {
    }

    /** Resident set size in bytes; empty when the process is gone or the system has no /proc. */
    public static OptionalLong rssBytes(long pid) {
        return field(pid, "VmRSS:");
    }

    /** The highest resident set size since the process started, in bytes. */
    public static OptionalLong peakRssBytes(long pid) {
        return field(pid, "VmHWM:");
    }

    private static OptionalLong field(long pid, String name) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith(name)) {
                    // "VmRSS:	  123456 kB"
                    String[] parts = line.substring(name.length()).trim().split("\\s+");
                    return OptionalLong.of(Long.parseLong(parts[0]) * 1024);
                }
            }
            return OptionalLong.empty();
        } catch (IOException | RuntimeException gone) {
            return OptionalLong.empty();
        }
    }
}
