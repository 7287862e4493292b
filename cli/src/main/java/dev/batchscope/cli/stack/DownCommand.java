package dev.batchscope.cli.stack;

import dev.batchscope.cli.CliException;
import dev.batchscope.cli.ExitCodes;
import dev.batchscope.cli.Subcommand;
import picocli.CommandLine.Command;

import java.io.IOException;
import java.util.concurrent.Callable;

@Command(name = "down", mixinStandardHelpOptions = true,
        description = "Stop exactly the processes `batchscope up` started, and check that none of them is left.")
public class DownCommand extends Subcommand implements Callable<Integer> {

    @Override
    public Integer call() throws IOException {
        LocalStack stack = new LocalStack(StackLayout.fromEnvironment(), err());
        LocalStack.Down down = stack.down();
        if (!down.left().isEmpty()) {
            throw new CliException(ExitCodes.SWEEP_FAILED, "could not stop " + String.join(", ", down.left())
                    + "; stop them by hand (kill PID)");
        }
        if (global().json()) {
            var node = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
            down.stopped().forEach(node.putArray("stopped")::add);
            node.putArray("left");
            printJson(node);
        } else if (down.stopped().isEmpty()) {
            out().println("batchscope was not running");
        } else {
            out().println("stopped " + String.join(", ", down.stopped()) + "; no batchscope process is left");
        }
        out().flush();
        return ExitCodes.OK;
    }
}
