package dev.batchscope.cli.stack;

import dev.batchscope.cli.ExitCodes;
import dev.batchscope.cli.Subcommand;
import picocli.CommandLine.Command;

import java.util.Optional;
import java.util.concurrent.Callable;

@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Show the local stack's processes: pid, address, whether each is ready, and the URLs.",
                "A process that has exited is shown with the last lines of its log. "
                        + "Exit 0 when all run, 3 when the stack is not running or part of it has exited."})
public class StatusCommand extends Subcommand implements Callable<Integer> {

    @Override
    public Integer call() {
        StackLayout layout = StackLayout.fromEnvironment();
        Optional<StackState> saved = new LocalStack(layout, err()).state();
        if (saved.isEmpty() || !saved.get().anyAlive()) {
            if (global().json()) {
                printJson(StackView.notRunningJson(layout));
            } else {
                out().println("batchscope is not running" + (saved.isPresent() ? " (its processes have exited)" : "")
                        + "; start it with `batchscope up`");
                out().flush();
            }
            return ExitCodes.UNREACHABLE;
        }
        StackState state = saved.get();
        if (global().json()) {
            printJson(StackView.json(layout, state));
        } else {
            out().println(StackView.table(state));
            out().println();
            StackView.urls(state).forEach(out()::println);
            out().println("state, logs and pids in " + StackView.where(layout));
            if (!state.allAlive()) {
                out().println();
                out().println(LocalStack.crashReport(state));
                out().println("`batchscope down` stops the rest; then `batchscope up` starts it again");
            }
            out().flush();
        }
        return state.allAlive() ? ExitCodes.OK : ExitCodes.UNREACHABLE;
    }
}
