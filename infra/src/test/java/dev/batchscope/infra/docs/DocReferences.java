package dev.batchscope.infra.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds references to Markdown files ({@code docs/design.md#6-gradient-noise}, {@code [x](security.md)}) in text and
 * says which point at a file or heading that does not exist. Headings become anchors the way GitHub makes them, so a
 * reference that works here works on GitHub.
 *
 * <p>What counts as a reference: anything with an anchor ({@code README.md#start}); a path with a directory
 * ({@code docs/reliability.md}) outside build output; and every Markdown link target in a {@code .md} file. A bare name
 * without anchor ({@code report.md}) is too often a file that a program writes, so it is left alone. A path resolves
 * against the referring file's folder, then against the repository root.
 */
final class DocReferences {
    /** A path ending in .md, not glued to a longer path or word, and an optional anchor. */
    private static final Pattern REFERENCE = Pattern.compile(
            "(?<![\\w./-])([\\w.-][\\w./-]*\\.md)(?:#([\\p{L}\\p{N}_-]*))?(?![\\w]|\\.[\\w])");
    private static final Pattern LINK_TARGET = Pattern.compile("\\]\\(\\s*<?([^)\\s>]+)");
    private static final Pattern ATX_HEADING = Pattern.compile("^ {0,3}(#{1,6})[ \\t]+(.*?)(?:[ \\t]+#+)?[ \\t]*$");
    private static final Pattern FENCE = Pattern.compile("^ {0,3}(```|~~~)");
    private static final Pattern HTML_ANCHOR = Pattern.compile("<a\\s+(?:name|id)=\"([^\"]+)\"");
    private static final Pattern INLINE_LINK = Pattern.compile("!?\\[([^\\]]*)\\]\\([^)]*\\)");
    private static final Pattern HTML_TAG = Pattern.compile("<[^>]+>");
    private static final Pattern NOT_IN_SLUG = Pattern.compile("[^\\p{L}\\p{M}\\p{N}\\p{Pc} -]");

    private final Path root;
    private final Map<Path, Set<String>> anchorsByFile = new HashMap<>();

    DocReferences(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    /** One reference from {@code file} to {@code path}, with its anchor or null. */
    record Reference(Path file, int line, String path, String anchor) {
        @Override
        public String toString() {
            return path + (anchor == null ? "" : "#" + anchor);
        }
    }

    /** A reference that does not resolve, and why. */
    record Broken(Reference reference, String why) {
        @Override
        public String toString() {
            return reference.file() + ":" + reference.line() + ": " + reference + " " + why;
        }
    }

    /** The references of {@code file} that point at a missing file or heading. */
    List<Broken> check(Path file) {
        List<Broken> broken = new ArrayList<>();
        for (Reference reference : references(file, read(file))) {
            Path target = resolve(reference);
            if (target == null) {
                broken.add(new Broken(reference, "names no file"));
            } else if (reference.anchor() != null && !anchors(target).contains(reference.anchor())) {
                broken.add(new Broken(reference, "names no heading of " + root.relativize(target)
                        + "; its anchors: " + anchors(target)));
            }
        }
        return broken;
    }

    static List<Reference> references(Path file, String text) {
        boolean markdown = file.getFileName().toString().endsWith(".md");
        List<Reference> found = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            Set<String> linkTargets = new LinkedHashSet<>();
            if (markdown) {
                Matcher link = LINK_TARGET.matcher(lines[i]);
                while (link.find()) {
                    linkTargets.add(link.group(1));
                }
            }
            Matcher m = REFERENCE.matcher(lines[i]);
            while (m.find()) {
                String path = m.group(1);
                String anchor = m.group(2) == null || m.group(2).isEmpty() ? null : m.group(2);
                boolean linked = linkTargets.contains(m.group(0)) || linkTargets.contains(path);
                boolean repoPath = path.contains("/") && !path.startsWith("/") && !builtOutput(path);
                if (anchor != null || repoPath || linked) {
                    found.add(new Reference(file, i + 1, path, anchor));
                }
            }
        }
        return found;
    }

    /** Files a build writes ({@code metrics-service/target/benchmark.md}) exist only after it. */
    private static boolean builtOutput(String path) {
        return path.startsWith("target/") || path.contains("/target/");
    }

    private Path resolve(Reference reference) {
        Path folder = reference.file().toAbsolutePath().getParent();
        for (Path base : List.of(folder, root)) {
            Path candidate = base.resolve(reference.path()).normalize();
            if (candidate.startsWith(root) && Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    private Set<String> anchors(Path markdownFile) {
        return anchorsByFile.computeIfAbsent(markdownFile, f -> anchors(read(f)));
    }

    /**
     * The anchors GitHub gives a Markdown document: one per ATX heading (outside fenced code), a repeated slug getting
     * -1, -2, ...; and explicit {@code <a name|id="...">}. Setext headings (underlined with === or ---) are not used
     * here and not recognised.
     */
    static Set<String> anchors(String markdown) {
        Set<String> anchors = new LinkedHashSet<>();
        Map<String, Integer> seen = new HashMap<>();
        boolean fenced = false;
        for (String line : markdown.split("\n", -1)) {
            if (FENCE.matcher(line).find()) {
                fenced = !fenced;
                continue;
            }
            if (fenced) {
                continue;
            }
            Matcher explicit = HTML_ANCHOR.matcher(line);
            while (explicit.find()) {
                anchors.add(explicit.group(1));
            }
            Matcher heading = ATX_HEADING.matcher(line);
            if (heading.matches()) {
                String slug = slug(heading.group(2));
                int n = seen.merge(slug, 1, Integer::sum);
                anchors.add(n == 1 ? slug : slug + "-" + (n - 1));
            }
        }
        return anchors;
    }

    /**
     * GitHub's anchor for a heading: the rendered text (link targets, tags and code marks dropped), lower case, every
     * character other than letters, digits, marks, connector punctuation ({@code _}), spaces and hyphens removed,
     * then each space a hyphen. Hyphens are not collapsed: "batchscope — design" becomes "batchscope--design".
     */
    static String slug(String heading) {
        String text = INLINE_LINK.matcher(heading).replaceAll("$1");
        text = HTML_TAG.matcher(text).replaceAll("");
        text = NOT_IN_SLUG.matcher(text.strip().toLowerCase(java.util.Locale.ROOT)).replaceAll("");
        return text.replace(' ', '-');
    }

    static String read(Path file) {
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
