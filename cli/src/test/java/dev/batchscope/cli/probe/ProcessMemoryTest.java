package dev.batchscope.cli.probe;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

class ProcessMemoryTest {

    @Test
    void thisJvmHoldsSomeMemoryAndItsPeakIsAtLeastThat() {
        long pid = ProcessHandle.current().pid();
        long rss = ProcessMemory.rssBytes(pid).orElseThrow();
        long peak = ProcessMemory.peakRssBytes(pid).orElseThrow();
        assertTrue(rss > 10L << 20, "a JVM holds more than 10 MiB: " + rss);
        assertTrue(peak >= rss, peak + " >= " + rss);
    }

    @Test
    void aProcessThatIsGoneHasNoMemory() throws Exception {
        Process sleep = new ProcessBuilder("sleep", "30").start();
        long pid = sleep.pid();
        sleep.destroyForcibly().waitFor();
        assertTrue(ProcessMemory.rssBytes(pid).isEmpty());
    }
}
