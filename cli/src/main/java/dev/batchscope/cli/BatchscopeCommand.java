package dev.batchscope.cli;

import dev.batchscope.cli.demo.DemoCommand;
import dev.batchscope.cli.dev.DevCommand;
import dev.batchscope.cli.report.ReportCommand;
import dev.batchscope.cli.stack.DownCommand;
import dev.batchscope.cli.stack.StatusCommand;
import dev.batchscope.cli.stack.UpCommand;
import dev.batchscope.cli.sweep.SweepCommand;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;

/**
 * The {@code batchscope} command. Subcommands are separate classes; add a new one to {@code subcommands} below.
 * Run commands through {@link #newCommandLine()} so that errors map to the documented exit codes.
 */
@Command(name = "batchscope", mixinStandardHelpOptions = true, version = "batchscope 0.1.0",
        description = "Batch-size experiments on Kafka: submit sweeps, watch them train, compare batch sizes.",
        subcommands = {DemoCommand.class, UpCommand.class, DownCommand.class, StatusCommand.class, SweepCommand.class,
                ReportCommand.class, DevCommand.class, AutoComplete.GenerateCompletion.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:done; a watched sweep succeeded", "1:the sweep failed (a run failed or was cancelled)",
                "2:bad usage or input", "3:a service could not be reached"})
public class BatchscopeCommand implements Runnable {
    @Mixin
    GlobalOptions global;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public GlobalOptions global() {
        return global;
    }

    /** The global options of the command line that {@code spec} belongs to. */
    public static GlobalOptions globalOptions(CommandSpec spec) {
        return ((BatchscopeCommand) spec.root().userObject()).global();
    }

    public static CommandLine newCommandLine() {
        CommandLine commandLine = new CommandLine(new BatchscopeCommand());
        commandLine.setExecutionExceptionHandler(BatchscopeCommand::handleFailure);
        commandLine.setParameterExceptionHandler(BatchscopeCommand::handleBadUsage);
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        // the last of a repeated option wins, so that a flag can override an alias or a script's defaults
        commandLine.setOverwrittenOptionsAllowed(true);
        return commandLine;
    }

    public static void main(String[] args) {
        // the report draws its charts off screen
        System.setProperty("java.awt.headless", "true");
        // the Kafka clients log through SLF4J, which the CLI leaves unbound (it prints for itself): say nothing of that
        if (System.getProperty("slf4j.internal.verbosity") == null) {
            System.setProperty("slf4j.internal.verbosity", "ERROR");
        }
        System.exit(newCommandLine().execute(args));
    }

    /** A bad flag: the error, close matches, and where to read more; not the whole usage text. */
    private static int handleBadUsage(CommandLine.ParameterException e, String[] args) {
        CommandLine commandLine = e.getCommandLine();
        PrintWriter err = commandLine.getErr();
        err.println(e.getMessage());
        CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
        err.println("Try '" + commandLine.getCommandSpec().qualifiedName() + " --help' for more information.");
        err.flush();
        return ExitCodes.USAGE;
    }

    private static int handleFailure(Exception e, CommandLine commandLine, CommandLine.ParseResult parsed) {
        PrintWriter err = commandLine.getErr();
        if (e instanceof CliException cli) {
            err.println(cli.getMessage());
            err.flush();
            return cli.exitCode();
        }
        if (System.getenv("BATCHSCOPE_DEBUG") != null) {
            e.printStackTrace(err);
        } else {
            err.println("batchscope: unexpected error: " + e + " (set BATCHSCOPE_DEBUG=1 to see where)");
        }
        err.flush();
        return ExitCodes.INTERNAL;
    }
}
