package dev.batchscope.cli.sweep;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.batchscope.cli.CliException;
import dev.batchscope.cli.ExitCodes;
import dev.batchscope.events.spec.SweepSpec;
import dev.batchscope.events.validation.ValidationException;
import dev.batchscope.events.validation.Violation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "validate", mixinStandardHelpOptions = true,
        description = {"Check sweep spec files with the scheduler's own rules, without a scheduler: for CI pipelines "
                + "that keep sweeps in git.",
                "Exit 0 when every file is a valid sweep, 2 when any is not (each offending field is named)."})
public class SweepValidateCommand extends SweepSubcommand implements Callable<Integer> {
    @Option(names = {"-f", "--file"}, paramLabel = "FILE", required = true, arity = "1..*",
            description = "Spec files: YAML, or JSON when the name ends in .json; - reads standard input. "
                    + "Repeat -f or list several.")
    List<Path> files;

    @Override
    public Integer call() {
        if (files.stream().filter(f -> f.toString().equals("-")).count() > 1) {
            throw CliException.usage("-f: standard input (-) can be read once");
        }
        ArrayNode results = JsonNodeFactory.instance.arrayNode();
        boolean allValid = true;
        for (Path file : files) {
            SpecSource source = file.toString().equals("-") ? SpecSource.stdin(System.in) : SpecSource.file(file);
            ObjectNode result = results.addObject().put("file", source.origin());
            try {
                SweepSpec spec = source.read();
                int runs = spec.expand().size();
                result.put("valid", true).put("name", spec.name()).put("runCount", runs);
                if (!global().json()) {
                    out().println(source.origin() + ": valid sweep " + spec.name() + ", " + runs + " runs");
                }
            } catch (ValidationException e) {
                allValid = false;
                result.put("valid", false);
                ArrayNode violations = result.putArray("violations");
                for (Violation v : e.violations()) {
                    violations.addObject().put("field", v.field()).put("message", v.message());
                }
                if (!global().json()) {
                    out().println(source.describe(e));
                }
            }
        }
        if (global().json()) {
            printJson(results);
        }
        out().flush();
        return allValid ? ExitCodes.OK : ExitCodes.USAGE;
    }
}
