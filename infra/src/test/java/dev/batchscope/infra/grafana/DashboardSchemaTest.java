package dev.batchscope.infra.grafana;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.batchscope.infra.support.Repo;
import dev.batchscope.infra.support.Tools;
import dev.batchscope.infra.support.Yaml;
import dev.batchscope.testing.machine.MachineRequirements;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dashboards against Grafana's own schema: infra/grafana/schema-check types every dashboard and panel with
 * {@code @grafana/schema} (pinned in its package-lock.json to the Grafana that docker-compose.yml runs) and lets the
 * TypeScript compiler find unknown keys, wrong types and values outside an enum. Needs Debian's {@code nodejs} and
 * {@code npm}; {@code npm ci} installs the two pinned packages from the npm registry into infra/target/schema-check.
 * By hand: {@code cd infra/grafana/schema-check && npm ci && node check-dashboards.mjs ../dashboards}.
 */
class DashboardSchemaTest {
    private static final Duration NPM_TIMEOUT = Duration.ofMinutes(5);
    private static final Duration CHECK_TIMEOUT = Duration.ofMinutes(3);
    private static Path checker;

    /** A copy of the checker outside the source tree, its node_modules from the lock file (once per lock). */
    @BeforeAll
    static void install() throws IOException {
        Path source = Repo.infra("grafana/schema-check");
        checker = Repo.target("schema-check");
        String lock = Files.readString(source.resolve("package-lock.json"), StandardCharsets.UTF_8);
        Path installedLock = checker.resolve("node_modules/.package-lock.json");
        for (String file : List.of("package.json", "package-lock.json", "check-dashboards.mjs")) {
            Files.copy(source.resolve(file), checker.resolve(file), StandardCopyOption.REPLACE_EXISTING);
        }
        Path marker = checker.resolve("node_modules/.installed-from-lock");
        if (!Files.isRegularFile(installedLock) || !Files.isRegularFile(marker)
                || !Files.readString(marker, StandardCharsets.UTF_8).equals(lock)) {
            Path npm = MachineRequirements.command("npm");
            Tools.runOk(List.of(npm.toString(), "ci", "--no-audit", "--no-fund"), checker, NPM_TIMEOUT);
            Files.writeString(marker, lock, StandardCharsets.UTF_8);
        }
    }

    @Test
    void everyDashboardConformsToGrafanasSchema() {
        Tools.Result result = check(Repo.infra("grafana/dashboards"));
        assertEquals(0, result.exitCode(), result.output());
        assertTrue(result.output().contains(Dashboard.all().size() + " dashboards conform to @grafana/schema"),
                result.output());
    }

    /** The check can fail: a misspelled panel key and a draw style Grafana does not have are both reported. */
    @Test
    void aBrokenDashboardFailsWithItsProblems() throws IOException {
        Path broken = Repo.target("schema-check-broken");
        ObjectNode dashboard = (ObjectNode) Yaml.readJson(Repo.infra("grafana/dashboards/batch-size-comparison.json"));
        ObjectNode lossOverTime = null;
        for (var panel : dashboard.withArray("panels")) {
            if (panel.path("type").asText().equals("timeseries") && lossOverTime == null) {
                lossOverTime = (ObjectNode) panel;
            }
        }
        ObjectNode panel = java.util.Objects.requireNonNull(lossOverTime);
        panel.set("gridPoss", panel.remove("gridPos"));
        ((ObjectNode) panel.path("fieldConfig").path("defaults").path("custom")).put("drawStyle", "curvy");
        Files.writeString(broken.resolve("broken.json"), Yaml.JSON.writeValueAsString(dashboard),
                StandardCharsets.UTF_8);

        Tools.Result result = check(broken);
        assertNotEquals(0, result.exitCode(), result.output());
        assertTrue(result.output().contains("\"gridPoss\"' does not exist"), result.output());
        assertTrue(result.output().contains("\"curvy\""), result.output());
    }

    private static Tools.Result check(Path dashboards) {
        Path node = MachineRequirements.command("node");
        return Tools.run(List.of(node.toString(), "check-dashboards.mjs", dashboards.toString()), checker,
                CHECK_TIMEOUT);
    }
}
