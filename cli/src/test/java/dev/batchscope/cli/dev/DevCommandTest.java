package dev.batchscope.cli.dev;

import dev.batchscope.cli.ExitCodes;
import dev.batchscope.cli.support.CliRun;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The developers' tools live under {@code dev}; ReliabilityIT runs both against a real stack. */
class DevCommandTest {

    @Test
    void loadAndProbeAreToolsOfTheDevGroup() {
        CliRun help = CliRun.of("dev", "--help");
        assertEquals(ExitCodes.OK, help.exitCode(), help.toString());
        assertTrue(help.out().contains("load") && help.out().contains("probe"), help.toString());
        for (String moved : new String[] {"load", "probe"}) {
            CliRun topLevel = CliRun.of(moved, "--sweeps", "0");
            assertEquals(ExitCodes.USAGE, topLevel.exitCode(), topLevel.toString());
            assertTrue(topLevel.err().contains("Unmatched arguments from index 0: '" + moved + "'"),
                    moved + " is not a top-level command\n" + topLevel);
        }
    }

    @Test
    void probeWithoutAStackSaysSoAndExitsThree() {
        // the tests run in cli/, where no stack has its state
        CliRun probe = CliRun.of("dev", "probe");
        assertEquals(ExitCodes.UNREACHABLE, probe.exitCode(), probe.toString());
        assertTrue(probe.err().contains("batchscope is not running; start it with `batchscope up`"), probe.toString());
    }
}
