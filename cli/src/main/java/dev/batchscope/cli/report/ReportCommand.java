package dev.batchscope.cli.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.batchscope.cli.ExitCodes;
import dev.batchscope.cli.Subcommand;
import dev.batchscope.cli.client.MetricsClient;
import dev.batchscope.cli.stack.StackLayout;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

@Command(name = "report", mixinStandardHelpOptions = true,
        description = {"Write a sweep's report: PNG charts (loss vs iterations, samples and seconds; validation "
                + "accuracy vs epoch; gradient noise scale; steps and samples to target vs batch size with the fit and "
                + "B_crit), report.md with the table, the fit and the recommendation, series.csv and summary.json.",
                "Reads the metrics-service (and the scheduler for the sweep's spec, when it answers)."})
public class ReportCommand extends Subcommand implements Callable<Integer> {
    @Parameters(paramLabel = "ID", description = "The sweep id (sw-...).")
    String sweepId;

    @Option(names = "--out", paramLabel = "DIR", description = "Where to write it (default reports/<id>/).")
    Path out;

    @Override
    public Integer call() throws IOException {
        Path dir = out != null ? out : defaultDir(sweepId);
        ReportWriter.Report report = writeReport(sweepId, dir);
        if (global().json()) {
            ObjectNode node = JsonNodeFactory.instance.objectNode();
            node.put("sweepId", sweepId);
            node.put("dir", report.dir().toAbsolutePath().toString());
            ArrayNode files = node.putArray("files");
            report.files().forEach(f -> files.add(f.getFileName().toString()));
            node.put("recommendation", report.recommendation());
            printJson(node);
        } else {
            out().println(report.table());
            out().println();
            out().println(report.recommendation());
            out().println();
            out().println("report: " + StackLayout.display(report.dir().resolve(ReportWriter.MARKDOWN)));
            out().flush();
        }
        return ExitCodes.OK;
    }

    /** Fetches the sweep from the services and writes its report into {@code dir}. */
    public ReportWriter.Report writeReport(String id, Path dir) throws IOException {
        requireSweepId(id);
        ReportData data = ReportData.fetch(new MetricsClient(global().metricsUrl(), Duration.ofSeconds(60)),
                scheduler(), id);
        return ReportWriter.write(data, dir);
    }

    /** reports/<id>/ below the working directory. */
    public static Path defaultDir(String sweepId) {
        return Path.of("reports", sweepId);
    }
}
