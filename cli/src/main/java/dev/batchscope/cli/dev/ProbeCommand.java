package dev.batchscope.cli.dev;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.batchscope.cli.CliException;
import dev.batchscope.cli.ExitCodes;
import dev.batchscope.cli.Subcommand;
import dev.batchscope.cli.probe.ConsumerLag;
import dev.batchscope.cli.probe.ProcessMemory;
import dev.batchscope.cli.render.Table;
import dev.batchscope.cli.stack.LocalStack;
import dev.batchscope.cli.stack.StackLayout;
import dev.batchscope.cli.stack.StackState;
import dev.batchscope.events.Topics;
import picocli.CommandLine.Command;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.Callable;

@Command(name = "probe", mixinStandardHelpOptions = true,
        description = {"One look at the running local stack, as `dev load` samples it while it runs: the consumer lag "
                + "of the trainers' group on " + Topics.RUNS_REQUESTED + " and of the metrics-service's group on "
                + Topics.METRICS + " (end offsets minus committed offsets, as the broker sees them), and each "
                + "process's resident memory now and at its peak.",
                "Exit 0, or 3 when the stack is not running or its broker does not answer."})
public class ProbeCommand extends Subcommand implements Callable<Integer> {

    @Override
    public Integer call() throws InterruptedException {
        StackState state = new LocalStack(StackLayout.fromEnvironment(), err()).state()
                .filter(StackState::anyAlive)
                .orElseThrow(() -> new CliException(ExitCodes.UNREACHABLE,
                        "batchscope is not running; start it with `batchscope up`"));
        long trainers;
        long metrics;
        try (ConsumerLag lag = new ConsumerLag(state.kafka().bootstrapServers())) {
            trainers = lag.lag(ConsumerLag.TRAINER_GROUP, Topics.RUNS_REQUESTED);
            metrics = lag.lag(ConsumerLag.METRICS_GROUP, Topics.METRICS);
        } catch (IllegalStateException e) {
            throw new CliException(ExitCodes.UNREACHABLE, e.getMessage());
        }
        Map<String, Long> pids = new LinkedHashMap<>();
        pids.put("kafka", state.kafka().pid());
        state.services().forEach(s -> pids.put(s.name(), s.pid()));

        if (global().json()) {
            JsonNodeFactory f = JsonNodeFactory.instance;
            ObjectNode node = f.objectNode();
            ObjectNode lags = node.putObject("consumerLag");
            lags.put("trainers", trainers);
            lags.put("metrics", metrics);
            ObjectNode memory = node.putObject("memoryBytes");
            pids.forEach((name, pid) -> {
                ObjectNode process = memory.putObject(name);
                process.put("pid", pid);
                putBytes(process, "now", ProcessMemory.rssBytes(pid));
                putBytes(process, "peak", ProcessMemory.peakRssBytes(pid));
            });
            printJson(node);
            return ExitCodes.OK;
        }
        out().printf(Locale.ROOT, "consumer lag  trainers %d run requests (%s on %s; committed when a run ends, so "
                + "this counts queued and running runs)%n", trainers, ConsumerLag.TRAINER_GROUP, Topics.RUNS_REQUESTED);
        out().printf(Locale.ROOT, "              metrics-service %d records (%s on %s; committed every few seconds)%n",
                metrics, ConsumerLag.METRICS_GROUP, Topics.METRICS);
        out().println("memory (RSS, MiB)");
        Table table = new Table("PROCESS", "PID", "NOW", "PEAK SINCE START");
        pids.forEach((name, pid) -> table.row(name, pid, mib(ProcessMemory.rssBytes(pid)),
                mib(ProcessMemory.peakRssBytes(pid))));
        table.lines().forEach(line -> out().println("  " + line));
        out().flush();
        return ExitCodes.OK;
    }

    private static void putBytes(ObjectNode node, String field, OptionalLong bytes) {
        if (bytes.isPresent()) {
            node.put(field, bytes.getAsLong());
        } else {
            node.putNull(field);
        }
    }

    private static String mib(OptionalLong bytes) {
        return bytes.isPresent() ? String.format(Locale.ROOT, "%.1f", bytes.getAsLong() / 1048576.0) : "-";
    }
}
