package dev.batchscope.infra.support;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What a service's Dockerfile says about the image it builds. */
public final class Dockerfiles {
    private static final Pattern BUILD_TAG = Pattern.compile("^#\\s+docker build .*-t\\s+(\\S+)\\s", Pattern.MULTILINE);
    private static final Pattern VERSION = Pattern.compile(
            "<artifactId>batchscope-parent</artifactId>\\s*<version>([^<]+)</version>");

    private Dockerfiles() {
    }

    /** The image name the Dockerfile's documented build command tags (its header comment). */
    public static String documentedImage(Path dockerfile) {
        Matcher matcher = BUILD_TAG.matcher(ServiceModule.read(dockerfile));
        if (!matcher.find()) {
            throw new AssertionError(dockerfile + " documents no `docker build ... -t IMAGE` command");
        }
        return matcher.group(1);
    }

    /** Every instruction line of the final stage (after the last FROM), continuation lines joined. */
    public static List<String> finalStage(Path dockerfile) {
        List<String> instructions = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : ServiceModule.read(dockerfile).split("\n")) {
            if (line.startsWith("#") || (line.isBlank() && current.length() == 0)) {
                continue;
            }
            String trimmed = line.strip();
            if (trimmed.endsWith("\\")) {
                current.append(trimmed, 0, trimmed.length() - 1).append(' ');
                continue;
            }
            current.append(trimmed);
            if (current.toString().startsWith("FROM ")) {
                instructions.clear();
            }
            if (current.length() > 0) {
                instructions.add(current.toString().replaceAll("\\s+", " "));
            }
            current.setLength(0);
        }
        return instructions;
    }

    /** The reactor's version (root pom), which image tags carry. */
    public static String projectVersion() {
        Matcher matcher = VERSION.matcher(ServiceModule.read(Repo.path("pom.xml")));
        if (!matcher.find()) {
            throw new AssertionError("cannot read the project version from the root pom.xml");
        }
        return matcher.group(1).trim();
    }
}
