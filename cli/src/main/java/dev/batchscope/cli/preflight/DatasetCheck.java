package dev.batchscope.cli.preflight;

import dev.batchscope.cli.CliException;
import dev.batchscope.cli.ExitCodes;
import dev.batchscope.events.setup.DataRoots;
import dev.batchscope.events.setup.MachineRequirement;

import java.nio.file.Path;
import java.util.stream.Collectors;

/**
 * Whether a sweep's runs will find their dataset, asked before the sweep is submitted or a stack is started for it:
 * the trainers of the local stack inherit this process's environment and look where it does (setup/data-roots,
 * through {@link DataRoots}), so a dataset missing here is missing for every run. setup/preflight checks the same
 * before ./batchscope builds anything; this covers the CLI run on its own ({@code java -jar}).
 */
public final class DatasetCheck {
    private DatasetCheck() {
    }

    /**
     * Fails with exit code 2 and the message setup/preflight gives, unless the dataset is in a data root.
     *
     * @param purpose what needs it, as the message says it: "the demo"
     */
    public static void require(String dataset, String purpose) {
        MachineRequirement requirement = MachineRequirement.all().stream()
                .filter(r -> dataset.equals(r.datasetName())).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("setup/requirements lists no dataset " + dataset));
        DataRoots roots = DataRoots.standard();
        if (roots.find(requirement.datasetName(), requirement.datasetFiles()).isPresent()) {
            return;
        }
        throw new CliException(ExitCodes.USAGE, message(requirement, roots, purpose));
    }

    static String message(MachineRequirement requirement, DataRoots roots, String purpose) {
        String where = roots.roots().stream().map(Path::toString).collect(Collectors.joining(", "));
        boolean root = "root".equals(System.getProperty("user.name"));
        return "batchscope: " + purpose + " needs what is missing here: " + requirement.name() + " (" + requirement.why()
                + "; not in " + where + " (each directly or in a " + requirement.datasetName() + "/ folder); "
                + DataRoots.DATA_DIR_ENV + " may name a folder with its files "
                + String.join(", ", requirement.datasetFiles()) + "). Install with: " + (root ? "" : "sudo ")
                + "apt-get install -y --no-install-recommends " + String.join(" ", requirement.debianPackages())
                + " (./batchscope installs it itself when run as root on Debian/Ubuntu)";
    }
}
