package dev.batchscope.cli.load;

import dev.batchscope.cli.ExitCodes;
import dev.batchscope.cli.support.CliRun;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad flags are refused before anything starts: exit 2 and a message that names the option and what it allows. */
class LoadCommandTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "--dataset|fashion-mnist|'--dataset': \"fashion-mnist\" is not a load dataset; one of synthetic-blobs, synthetic-linear",
            "--sweeps|0|--sweeps: must be from 1 to 200, got 0",
            "--sweeps|many|'--sweeps'",
            "--steps|2001|--steps: must be from 1 to 2000",
            "--batch-sizes|16,huge|--batch-sizes: each must be a positive integer or \"full\", got \"huge\"",
            "--batch-sizes|16,16|--batch-sizes: each batch size once",
            "--batch-sizes|4096|--batch-sizes: 4096 is more than the 2048 examples of --samples",
            "--samples|10|--samples: must be from 64 to 100000, got 10",
            "--hidden|0|--hidden: 1 to 4 widths, each from 1 to 1024, got [0]",
            "--trainers|17|--trainers: must be from 1 to 16, got 17",
            "--sample-every|50|--sample-every: must be from 200 to 60000 milliseconds, got 50",
            "--timeout|0|--timeout: must be from 1 to 1440 minutes, got 0"})
    void aBadFlagExitsTwoNamingTheOptionAndWhatItAllows(String option, String value, String message) {
        CliRun run = CliRun.of("dev", "load", option, value);
        assertEquals(ExitCodes.USAGE, run.exitCode(), run.toString());
        assertTrue(run.err().contains(message), run.toString());
        assertTrue(!run.err().contains("\tat "), "no stack trace\n" + run);
    }
}
