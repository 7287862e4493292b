package dev.batchscope.infra.prometheus;

import com.fasterxml.jackson.databind.JsonNode;
import dev.batchscope.infra.support.Repo;
import dev.batchscope.infra.support.Tools;
import dev.batchscope.infra.support.Yaml;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** infra/prometheus checked by Prometheus's own promtool: the config, the rules and their unit tests. */
class PrometheusRulesTest {
    private static final Path PROMETHEUS = PrometheusFiles.DIR;
    private static final Duration PROMTOOL_TIMEOUT = Duration.ofMinutes(2);

    @Test
    void promtoolAcceptsTheConfigAndTheRuleFilesItLoads() {
        String output = Tools.runOk(List.of(Tools.promtool().toString(), "check", "config", "prometheus.yml"),
                PROMETHEUS, PROMTOOL_TIMEOUT);
        // check config also checks every rule file the config loads: make sure it found them
        assertTrue(output.contains(ruleFiles().size() + " rule files found"), output);
    }

    @Test
    void promtoolAcceptsEveryRuleFile() {
        List<String> command = new ArrayList<>(List.of(Tools.promtool().toString(), "check", "rules"));
        ruleFiles().forEach(file -> command.add(PROMETHEUS.relativize(file).toString()));
        Tools.runOk(command, PROMETHEUS, PROMTOOL_TIMEOUT);
    }

    @Test
    void promtoolUnitTestsOfTheRulesPass() {
        List<String> command = new ArrayList<>(List.of(Tools.promtool().toString(), "test", "rules"));
        unitTestFiles().forEach(file -> command.add(PROMETHEUS.relativize(file).toString()));
        String output = Tools.runOk(command, PROMETHEUS, PROMTOOL_TIMEOUT);
        assertFalse(output.contains("FAILED"), output);
    }

    @Test
    void everyAlertHasAUnitTestWhereItFiresAndOneWhereItStaysQuiet() {
        Set<String> alerts = new TreeSet<>();
        for (Path file : ruleFiles()) {
            for (JsonNode group : Yaml.read(file).path("groups")) {
                for (JsonNode rule : group.path("rules")) {
                    if (rule.has("alert")) {
                        alerts.add(rule.path("alert").asText());
                    }
                }
            }
        }
        assertFalse(alerts.isEmpty(), "no alerts found in " + PROMETHEUS.resolve("rules"));
        Set<String> firing = new TreeSet<>();
        Set<String> quiet = new TreeSet<>();
        for (Path file : unitTestFiles()) {
            for (JsonNode test : Yaml.read(file).path("tests")) {
                for (JsonNode alertTest : test.path("alert_rule_test")) {
                    String name = alertTest.path("alertname").asText();
                    (alertTest.path("exp_alerts").size() > 0 ? firing : quiet).add(name);
                }
            }
        }
        assertEquals(alerts, firing, "alerts without a unit test in which they fire");
        assertEquals(alerts, quiet, "alerts without a unit test in which they do not fire");
    }

    /** runbook_url is a path from the repository root to a section of docs/runbook.md (GitHub's heading anchor). */
    @Test
    void everyAlertHasARunbookSectionOfItsOwn() throws IOException {
        Path runbook = Repo.path("docs/runbook.md");
        Set<String> anchors = Files.readAllLines(runbook).stream().filter(l -> l.startsWith("## "))
                .map(l -> l.substring(3).trim().toLowerCase().replaceAll("[^a-z0-9 -]", "").replace(' ', '-'))
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> alerts = new TreeSet<>();
        for (Path file : ruleFiles()) {
            for (JsonNode group : Yaml.read(file).path("groups")) {
                for (JsonNode rule : group.path("rules")) {
                    if (rule.has("alert")) {
                        String name = rule.path("alert").asText();
                        alerts.add(name.toLowerCase());
                        assertEquals("docs/runbook.md#" + name.toLowerCase(),
                                rule.path("annotations").path("runbook_url").asText(), name);
                    }
                }
            }
        }
        assertEquals(alerts, anchors, "one section of docs/runbook.md per alert, named as the alert");
    }

    @Test
    void everyUnitTestFileLoadsRuleFilesThatExist() {
        for (Path file : unitTestFiles()) {
            JsonNode ruleFiles = Yaml.read(file).path("rule_files");
            assertTrue(ruleFiles.size() > 0, file + " loads no rule file");
            for (JsonNode ruleFile : ruleFiles) {
                Path resolved = file.getParent().resolve(ruleFile.asText()).normalize();
                assertTrue(Files.isRegularFile(resolved), file + " loads " + resolved + ", which does not exist");
            }
        }
    }

    @Test
    void thePrometheusConfigLoadsEveryRuleFile() {
        JsonNode config = Yaml.read(PROMETHEUS.resolve("prometheus.yml"));
        List<PathMatcher> globs = new ArrayList<>();
        config.path("rule_files").forEach(glob -> globs.add(
                FileSystems.getDefault().getPathMatcher("glob:" + PROMETHEUS.resolve(glob.asText()))));
        for (Path file : ruleFiles()) {
            assertTrue(globs.stream().anyMatch(glob -> glob.matches(file)),
                    file + " is not loaded by prometheus.yml's rule_files");
        }
    }

    private static List<Path> ruleFiles() {
        return PrometheusFiles.ruleFiles();
    }

    private static List<Path> unitTestFiles() {
        return PrometheusFiles.unitTestFiles();
    }
}
