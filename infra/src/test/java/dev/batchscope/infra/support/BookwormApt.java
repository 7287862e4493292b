package dev.batchscope.infra.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * apt, asked about Debian bookworm's packages whatever release this machine runs: on bookworm the machine's own
 * apt; elsewhere apt with a configuration of its own under infra/target (bookworm's package lists from the Debian
 * mirror that the machine's apt sources name, an empty list of installed packages), which touches nothing of the
 * machine's. Needs apt-get and a Debian mirror in /etc/apt, as on any Debian machine.
 */
public final class BookwormApt {
    private static final Path KEYRING = Path.of("/usr/share/keyrings/debian-archive-keyring.gpg");
    /** A mirror of Debian itself: an apt source URI whose path ends in /debian. */
    private static final Pattern DEBIAN_URI = Pattern.compile("(?m)(?:^URIs:\\s*|^deb\\s+(?:\\[[^]]*]\\s+)?)(\\S+/debian)/?\\s");

    private BookwormApt() {
    }

    /** apt-get's {@code install -s} (simulated: nothing is installed) of these packages, failing with apt's words. */
    public static void simulateInstall(List<String> packages) {
        List<String> command = new ArrayList<>(apt());
        command.addAll(List.of("install", "-s", "--no-install-recommends"));
        command.addAll(packages);
        Tools.runOk(command, Repo.root(), Duration.ofMinutes(2));
    }

    private static List<String> apt() {
        if (!Files.isExecutable(Path.of("/usr/bin/apt-get"))) {
            throw new AssertionError("apt-get is needed to resolve the images' Debian packages (a Debian or Ubuntu machine)");
        }
        if (!Boolean.getBoolean("batchscope.apt.own-config") && osRelease().contains("VERSION_CODENAME=bookworm")) {
            return List.of("apt-get");
        }
        return ownConfiguration();
    }

    /** apt-get with bookworm's lists in infra/target/bookworm-apt, fetched there once. */
    private static List<String> ownConfiguration() {
        Path dir = Repo.target("bookworm-apt");
        try {
            for (String sub : List.of("lists/partial", "cache/archives/partial", "parts")) {
                Files.createDirectories(dir.resolve(sub));
            }
            Files.writeString(dir.resolve("status"), "");
            Files.writeString(dir.resolve("sources.list"), "deb [signed-by=" + KEYRING + "] " + debianMirror()
                    + " bookworm main\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> apt = List.of("apt-get",
                "-o", "Dir::Etc::SourceList=" + dir.resolve("sources.list"),
                "-o", "Dir::Etc::SourceParts=" + dir.resolve("parts"),
                "-o", "Dir::State::Lists=" + dir.resolve("lists"),
                "-o", "Dir::State::status=" + dir.resolve("status"),
                "-o", "Dir::Cache=" + dir.resolve("cache"),
                "-o", "Debug::NoLocking=true",
                // the lists live in the build's folder, which apt's unprivileged download user may not write
                "-o", "APT::Sandbox::User=" + System.getProperty("user.name"));
        try (Stream<Path> lists = Files.list(dir.resolve("lists"))) {
            if (lists.noneMatch(f -> f.getFileName().toString().endsWith("_Packages")
                    || f.getFileName().toString().contains("_Packages."))) {
                List<String> update = new ArrayList<>(apt);
                update.addAll(List.of("-q", "update"));
                Tools.runOk(update, Repo.root(), Duration.ofMinutes(5));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return apt;
    }

    /** The Debian mirror this machine's apt sources use. */
    private static String debianMirror() throws IOException {
        List<Path> sources = new ArrayList<>(List.of(Path.of("/etc/apt/sources.list")));
        Path parts = Path.of("/etc/apt/sources.list.d");
        if (Files.isDirectory(parts)) {
            try (Stream<Path> files = Files.list(parts)) {
                files.sorted().forEach(sources::add);
            }
        }
        for (Path file : sources) {
            if (Files.isRegularFile(file)) {
                Matcher uri = DEBIAN_URI.matcher(Files.readString(file) + "\n");
                if (uri.find()) {
                    return uri.group(1);
                }
            }
        }
        throw new AssertionError("no Debian mirror (a URI ending in /debian) in /etc/apt/sources.list{,.d}: apt cannot"
                + " resolve the images' bookworm packages here");
    }

    private static String osRelease() {
        try {
            Path file = Path.of("/etc/os-release");
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
