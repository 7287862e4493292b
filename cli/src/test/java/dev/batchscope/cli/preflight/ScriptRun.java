package dev.batchscope.cli.preflight;

import dev.batchscope.events.setup.MachineRequirement;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A shell script of the checkout (setup/preflight, ./batchscope) run in a process of its own with an environment
 * the test makes: a PATH of links to the commands the scripts use less some, stand-ins for commands such as apt-get
 * that record their arguments, HOME and the BATCHSCOPE_* variables.
 */
record ScriptRun(int exitCode, String out, String err, long millis) {
    static final Path REPO = Path.of("").toAbsolutePath().getParent();

    /**
     * What setup/preflight and ./batchscope run besides the requirements' tools (bash and a few utilities), and
     * what the tests' stand-ins run (chmod).
     */
    private static final Set<String> UTILITIES = Set.of("bash", "env", "id", "dirname", "realpath", "sed", "awk",
            "grep", "df", "fc-list", "mkdir", "tail", "java", "javac", "chmod");

    /**
     * A folder of links to the commands the scripts use (their utilities and every command of setup/requirements),
     * as this machine's PATH finds them, except {@code without}. A command missing here fails a script outright.
     */
    static Path pathWithout(Path dir, Set<String> without) throws IOException {
        Set<String> commands = new HashSet<>(UTILITIES);
        for (MachineRequirement requirement : MachineRequirement.all()) {
            if (requirement.foundBy().startsWith("command:")) {
                commands.addAll(List.of(requirement.foundBy().substring("command:".length()).split("\\|")));
            }
        }
        commands.removeAll(without);
        Files.createDirectories(dir);
        for (String entry : System.getenv("PATH").split(":")) {
            for (String name : commands) {
                Path command = Path.of(entry.isEmpty() ? "." : entry, name);
                Path link = dir.resolve(name);
                if (Files.isExecutable(command) && !Files.isDirectory(command)
                        && !Files.exists(link, LinkOption.NOFOLLOW_LINKS)) {
                    Files.createSymbolicLink(link, command.toAbsolutePath());
                }
            }
        }
        return dir;
    }

    /** An executable shell script in {@code dir}, replacing any link of that name. */
    static Path script(Path dir, String name, String body) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve(name);
        Files.deleteIfExists(file);
        Files.writeString(file, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }

    /**
     * Runs {@code bash script args} with exactly this environment (nothing inherited but what {@code env} holds),
     * so that the machine's own BATCHSCOPE_* or JAVA_HOME cannot change the outcome.
     */
    static ScriptRun of(Path script, Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("/bin/bash", script.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(script.getParent().toFile());
        builder.environment().clear();
        builder.environment().putAll(env);
        Path out = Files.createTempFile("script-out", ".txt");
        Path err = Files.createTempFile("script-err", ".txt");
        try {
            long started = System.nanoTime();
            Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!process.waitFor(2, TimeUnit.MINUTES)) {
                process.destroyForcibly().waitFor();
                throw new AssertionError(command + " did not end within 2 minutes");
            }
            return new ScriptRun(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8), (System.nanoTime() - started) / 1_000_000);
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** HOME, PATH and BATCHSCOPE_NO_INSTALL=1: the base environment of these tests. */
    static Map<String, String> env(Path home, Path path) {
        Map<String, String> env = new HashMap<>();
        env.put("HOME", home.toString());
        env.put("PATH", path.toString());
        env.put("BATCHSCOPE_NO_INSTALL", "1");
        return env;
    }

    @Override
    public String toString() {
        return "exit " + exitCode + " after " + millis + " ms\n--- out\n" + out + "--- err\n" + err;
    }
}
