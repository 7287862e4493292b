package dev.batchscope.cli.stack;

import dev.batchscope.cli.ExitCodes;
import dev.batchscope.cli.Subcommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.util.concurrent.Callable;

@Command(name = "up", mixinStandardHelpOptions = true,
        description = {"Start the local stack without Docker: a Kafka broker, the scheduler, the metrics-service and "
                + "N trainers, each a process of its own built by the reactor (built once if missing).",
                "Waits until every one is ready, then prints the URLs. State, logs and pids live in .batchscope/."})
public class UpCommand extends Subcommand implements Callable<Integer> {
    public static final int DEFAULT_TRAINERS = 2;

    @Option(names = "--trainers", paramLabel = "N", defaultValue = "" + DEFAULT_TRAINERS,
            description = "Trainer processes; each trains one run at a time (default ${DEFAULT-VALUE}).")
    int trainers;

    @Override
    public Integer call() throws IOException, InterruptedException {
        LocalStack stack = new LocalStack(StackLayout.fromEnvironment(), err());
        LocalStack.Up up = stack.up(trainers);
        if (global().json()) {
            printJson(StackView.json(stack.layout(), up.state()));
            return ExitCodes.OK;
        }
        if (!up.started()) {
            out().println("batchscope is already running (" + up.state().trainers().size() + " trainers); "
                    + "`batchscope status` shows it, `batchscope down` stops it");
        } else {
            out().println("batchscope is up:");
        }
        StackView.urls(up.state()).forEach(line -> out().println("  " + line));
        if (up.started()) {
            out().println("  state, logs and pids in " + StackView.where(stack.layout()) + "; stop it with `batchscope down`");
        }
        out().flush();
        return ExitCodes.OK;
    }
}
