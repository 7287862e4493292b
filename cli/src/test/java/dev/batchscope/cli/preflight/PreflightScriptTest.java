package dev.batchscope.cli.preflight;

import dev.batchscope.events.setup.DataRoots;
import dev.batchscope.events.setup.MachineRequirement;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * setup/preflight, the check that ./batchscope and the build run first, on a PATH that lacks one thing after
 * another. Its package manager is a stand-in that records what it is asked (and fails where nothing may be
 * installed), and `id` says which user it runs as, so that nothing is ever installed on this machine.
 */
class PreflightScriptTest {
    private static final Path PREFLIGHT = ScriptRun.REPO.resolve("setup/preflight");
    private static final String NO_INSTALL = " (not installed automatically: BATCHSCOPE_NO_INSTALL=1)";

    @TempDir
    Path dir;
    private Path home;
    /** A fake Fashion-MNIST: its four files, empty, in data/fashion-mnist/. */
    private Path data;
    private Path aptLog;

    @BeforeEach
    void fakeDatasetAndHome() throws IOException {
        home = Files.createDirectories(dir.resolve("home"));
        data = Files.createDirectories(dir.resolve("data/fashion-mnist"));
        for (String file : MachineRequirement.named("fashion-mnist").datasetFiles()) {
            Files.writeString(data.resolve(file), "");
        }
        aptLog = dir.resolve("apt-get.log");
    }

    /** The requirements of ./mvnw verify found on the PATH (every one but the dataset). */
    static List<MachineRequirement> testTools() {
        return MachineRequirement.all().stream()
                .filter(r -> r.neededBy().contains("tests") && r.datasetName() == null).toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("testTools")
    void eachMissingToolOfTheTestsIsNamedWithThePackageThatProvidesIt(MachineRequirement tool) throws Exception {
        ScriptRun run = ScriptRun.of(PREFLIGHT, env(withoutCommandsOf(tool), "0"), "tests");

        assertEquals(2, run.exitCode(), run.toString());
        assertEquals("batchscope: ./mvnw verify needs what is missing here: " + missing(tool)
                + ". Install with: apt-get install -y --no-install-recommends " + String.join(" ", tool.debianPackages())
                + NO_INSTALL + "\n", run.err());
        assertFalse(Files.exists(aptLog), "nothing is installed with BATCHSCOPE_NO_INSTALL=1");
    }

    @Test
    void everythingMissingIsNamedInOneMessageWithOneCommand() throws Exception {
        MachineRequirement chromium = MachineRequirement.named("chromium");
        MachineRequirement promtool = MachineRequirement.named("promtool");
        MachineRequirement prometheus = MachineRequirement.named("prometheus");
        ScriptRun run = ScriptRun.of(PREFLIGHT, env(pathWithout(Set.of("chromium", "promtool", "prometheus")), "0"), "tests");

        assertEquals(2, run.exitCode(), run.toString());
        assertEquals("batchscope: ./mvnw verify needs what is missing here: " + missing(chromium) + ", "
                + missing(promtool) + ", " + missing(prometheus)
                + ". Install with: apt-get install -y --no-install-recommends chromium prometheus" + NO_INSTALL + "\n",
                run.err());
    }

    @Test
    void aMissingDatasetIsLookedForWhereTheTrainerLooksAndNamesItsPackage() throws Exception {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        Map<String, String> env = env(pathWithout(Set.of()), "0");
        env.put("BATCHSCOPE_DATA_DIR", empty.toString());
        env.put("BATCHSCOPE_SYSTEM_DATA_DIR", empty.resolve("system").toString());
        MachineRequirement fashion = MachineRequirement.named("fashion-mnist");
        String roots = DataRoots.of(env, home).roots().stream().map(Path::toString).collect(Collectors.joining(", "));

        ScriptRun run = ScriptRun.of(PREFLIGHT, env, "demo");

        assertEquals(2, run.exitCode(), run.toString());
        assertEquals("batchscope: the demo needs what is missing here: fashion-mnist (" + fashion.why() + "; not in "
                + roots + " (each directly or in a fashion-mnist/ folder); BATCHSCOPE_DATA_DIR may name a folder with"
                + " its files " + String.join(", ", fashion.datasetFiles()) + "). Install with: apt-get install -y"
                + " --no-install-recommends dataset-fashion-mnist" + NO_INSTALL + "\n", run.err());
        assertEquals(DatasetCheck.message(fashion, DataRoots.of(env, home), "the demo").split(" Install with: ")[0],
                run.err().split(" Install with: ")[0], "the CLI's own check says the same");

        env.put("BATCHSCOPE_DATA_DIR", data.getParent().toString());
        assertEquals(0, ScriptRun.of(PREFLIGHT, env, "demo").exitCode(), "found in BATCHSCOPE_DATA_DIR/fashion-mnist");
        env.put("BATCHSCOPE_DATA_DIR", data.toString());
        assertEquals(0, ScriptRun.of(PREFLIGHT, env, "demo").exitCode(), "found in BATCHSCOPE_DATA_DIR itself");
    }

    @Test
    void withoutJavaTheBuildNamesTheJdkPackage() throws Exception {
        ScriptRun run = ScriptRun.of(PREFLIGHT, env(pathWithout(Set.of("java", "javac")), "0"), "build");

        assertEquals(2, run.exitCode(), run.toString());
        assertEquals("batchscope: the first build needs what is missing here: Java 17 (everything runs on it; no java"
                + " on the PATH). Install with: apt-get install -y --no-install-recommends openjdk-17-jdk-headless"
                + NO_INSTALL + "\n", run.err());
    }

    @Test
    void anOlderJavaOrAJreWithoutJavacIsNotEnoughForTheBuild() throws Exception {
        Map<String, String> env = env(pathWithout(Set.of("java", "javac")), "0");
        env.put("JAVA_HOME", fakeJdk("java11", "11.0.24", true).toString());
        ScriptRun old = ScriptRun.of(PREFLIGHT, env, "build");
        assertEquals(2, old.exitCode(), old.toString());
        assertTrue(old.err().contains("Java 17 or newer (everything runs on it; " + env.get("JAVA_HOME")
                + "/bin/java is 11.0.24)"), old.err());

        env.put("JAVA_HOME", fakeJdk("jre17", "17.0.12", false).toString());
        ScriptRun jre = ScriptRun.of(PREFLIGHT, env, "build");
        assertEquals(2, jre.exitCode(), jre.toString());
        assertTrue(jre.err().contains("a Java 17 JDK (the build compiles with javac; " + env.get("JAVA_HOME")
                + " has no bin/javac)"), jre.err());
        env.put("BATCHSCOPE_DATA_DIR", data.toString());
        assertEquals(0, ScriptRun.of(PREFLIGHT, env, "demo").exitCode(), "a built checkout runs on a JRE");
    }

    @Test
    void aFirstBuildNeedsItsDiskSpace() throws Exception {
        Path path = pathWithout(Set.of("df"));
        ScriptRun.script(path, "df", "printf 'Filesystem 1024-blocks Used Available Capacity Mounted on\\n"
                + "/dev/x 1000000 900000 100000 90%% /\\n'");
        ScriptRun run = ScriptRun.of(PREFLIGHT, env(path, "0"), "build");

        assertEquals(2, run.exitCode(), run.toString());
        assertTrue(run.err().startsWith("batchscope: the first build needs what is missing here: disk space (the"
                + " first build needs 1000 MiB on / for ~/.m2 and the checkout, 97 MiB are free)."), run.err());
    }

    @Test
    void asRootItInstallsWithAptGetAndSaysWhatAndWhy() throws Exception {
        MachineRequirement driver = MachineRequirement.named("chromedriver");
        Path path = withoutCommandsOf(driver);
        // the stand-in apt-get "installs" chromium-driver by putting a chromedriver on the PATH
        ScriptRun.script(path, "apt-get", "echo \"$*\" >> '" + aptLog + "'\n"
                + "case \"$*\" in *install*chromium-driver*) printf '#!/bin/sh\\n' > '" + path + "/chromedriver';"
                + " chmod +x '" + path + "/chromedriver';; esac");
        Map<String, String> env = env(path, "0");
        env.remove("BATCHSCOPE_NO_INSTALL");

        ScriptRun run = ScriptRun.of(PREFLIGHT, env, "tests");

        assertEquals(0, run.exitCode(), run.toString());
        assertEquals(List.of("update -q", "install -y -q --no-install-recommends chromium-driver"),
                Files.readAllLines(aptLog));
        assertEquals("batchscope: installing for ./mvnw verify: " + missing(driver) + "\n"
                + "batchscope: installing chromium-driver with apt-get\n"
                + "batchscope: installed what ./mvnw verify needs\n", run.err());
    }

    @Test
    void notAsRootItSaysTheCommandWithSudoAndInstallsNothing() throws Exception {
        Map<String, String> env = env(withoutCommandsOf(MachineRequirement.named("docker-compose")), "1000");
        env.remove("BATCHSCOPE_NO_INSTALL");

        ScriptRun run = ScriptRun.of(PREFLIGHT, env, "tests");

        assertEquals(2, run.exitCode(), run.toString());
        assertTrue(run.err().endsWith(". Install with: sudo apt-get install -y --no-install-recommends docker-compose"
                + " (not installed automatically: not root)\n"), run.err());
        assertFalse(Files.exists(aptLog));
    }

    @Test
    void aTestsCheckNeverInstallsAndGivesTheBuildChecksMessage() throws Exception {
        MachineRequirement kubectl = MachineRequirement.named("kubectl");
        Map<String, String> env = env(withoutCommandsOf(kubectl), "0");
        ScriptRun build = ScriptRun.of(PREFLIGHT, env, "tests");
        env.remove("BATCHSCOPE_NO_INSTALL");

        ScriptRun test = ScriptRun.of(PREFLIGHT, env, "check", "kubectl", "chromium");

        assertEquals(2, test.exitCode(), test.toString());
        assertEquals(build.err().replace(NO_INSTALL, ""), test.err());
        assertFalse(Files.exists(aptLog), "a test's check installs nothing, even as root");
        assertEquals(2, ScriptRun.of(PREFLIGHT, env, "check", "no-such-thing").exitCode());
    }

    /** "name (why; where it was looked for)", as the message names a missing requirement. */
    private static String missing(MachineRequirement requirement) {
        String how = requirement.foundBy().replace('+', ' ');
        String where = how.startsWith("font:") ? "fontconfig (fc-list) does not know it"
                : "no " + how.substring("command:".length()).replace("|", " or ") + " on the PATH";
        return requirement.name() + " (" + requirement.why() + "; " + where + ")";
    }

    /** A PATH without the requirement's commands (fc-list for a font). */
    private Path withoutCommandsOf(MachineRequirement requirement) throws IOException {
        String how = requirement.foundBy();
        Set<String> commands = how.startsWith("font:") ? Set.of("fc-list")
                : Set.of(how.substring("command:".length()).split("\\|"));
        return pathWithout(commands);
    }

    /** The scripts' commands less these; apt-get is a stand-in that records its arguments and fails. */
    private Path pathWithout(Set<String> commands) throws IOException {
        Set<String> without = new HashSet<>(commands);
        without.add("id");
        Path path = ScriptRun.pathWithout(dir.resolve("bin"), without);
        ScriptRun.script(path, "apt-get", "echo \"$*\" >> '" + aptLog + "'; exit 99");
        return path;
    }

    /** The base environment, the fake dataset in BATCHSCOPE_DATA_DIR, and an `id` that gives this uid. */
    private Map<String, String> env(Path path, String uid) throws IOException {
        ScriptRun.script(path, "id", "echo " + uid);
        Map<String, String> env = ScriptRun.env(home, path);
        env.put("BATCHSCOPE_DATA_DIR", data.toString());
        return env;
    }

    /** A JDK's layout as preflight reads it: bin/java (and bin/javac) and the release file with its version. */
    private Path fakeJdk(String name, String version, boolean javac) throws IOException {
        Path jdk = Files.createDirectories(dir.resolve(name));
        Files.writeString(jdk.resolve("release"), "JAVA_VERSION=\"" + version + "\"\n");
        ScriptRun.script(jdk.resolve("bin"), "java", "exit 0");
        if (javac) {
            ScriptRun.script(jdk.resolve("bin"), "javac", "exit 0");
        }
        return jdk;
    }
}
