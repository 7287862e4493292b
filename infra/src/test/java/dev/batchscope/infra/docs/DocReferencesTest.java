package dev.batchscope.infra.docs;

import dev.batchscope.infra.support.Repo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every reference to a Markdown file or heading in the repository (code comments, config, docs) resolves, and nothing
 * cites the design brief that lives outside the repository: docs/design.md is the design document.
 */
class DocReferencesTest {
    /** The brief's file name, assembled so that this file does not contain it. */
    private static final String OUTSIDE_BRIEF = "DESIGN" + ".md";
    /** Fixtures spell their references with this, so that the repository check does not read them as real ones. */
    private static final String MD = ".md";

    @Test
    void everyMarkdownReferenceInTheRepositoryNamesAFileAndHeadingThatExist() throws Exception {
        DocReferences references = new DocReferences(Repo.root());
        List<DocReferences.Broken> broken = new ArrayList<>();
        int checked = 0;
        for (Path file : textFiles()) {
            broken.addAll(references.check(file));
            checked++;
        }
        assertTrue(checked > 100, "only " + checked + " text files found under " + Repo.root());
        assertTrue(broken.isEmpty(), broken.size() + " broken references:\n" + broken.stream()
                .map(Object::toString).collect(Collectors.joining("\n")));
    }

    @Test
    void theDesignDocumentHasTheAgreedSections() {
        Set<String> anchors = DocReferences.anchors(DocReferences.read(Repo.path("docs/design.md")));
        for (String section : List.of("1-overview", "2-modules", "3-topics-and-keys", "4-events", "5-the-sweep-spec",
                "6-gradient-noise", "7-the-batch-size-study", "8-metrics", "9-http", "10-cli-and-exit-codes",
                "11-data-locations", "12-delivery-and-reliability", "13-running-it", "14-decisions")) {
            assertTrue(anchors.contains(section), "docs/design.md has no section " + section + "; it has " + anchors);
        }
    }

    @Test
    void noFileCitesTheDesignBriefFromOutsideTheRepository() throws Exception {
        List<String> citing = new ArrayList<>();
        for (Path file : textFiles()) {
            String[] lines = DocReferences.read(file).split("\n", -1);
            for (int i = 0; i < lines.length; i++) {
                if (lines[i].contains(OUTSIDE_BRIEF)) {
                    citing.add(Repo.root().relativize(file) + ":" + (i + 1));
                }
            }
        }
        assertEquals(List.of(), citing, OUTSIDE_BRIEF + " is not in the repository; cite docs/design.md#<section>");
    }

    @Test
    void slugsAreGitHubs() {
        assertEquals("6-gradient-noise", DocReferences.slug("6. Gradient noise"));
        assertEquals("batchscope--design", DocReferences.slug("batchscope — design"));
        assertEquals("http-limits-and-timeouts", DocReferences.slug("HTTP limits and timeouts"));
        assertEquals("the-sweep_spec-v2", DocReferences.slug("The `sweep_spec` (v2)"));
        assertEquals("see-the-readme", DocReferences.slug("See [the README](README" + MD + ")"));
        assertEquals(Set.of("a", "a-1", "a-2", "b", "kept"),
                DocReferences.anchors("# A\n## A\n```\n# not a heading\n```\n### A ###\n## B\n<a name=\"kept\"></a>\n"));
    }

    @Test
    void aBrokenFileOrAnchorIsReportedAndAGoodOneIsNot(@TempDir Path repo) throws IOException {
        Path guide = write(repo.resolve("docs/guide" + MD),
                "# Guide\n\n## 2. Setup\n\nSee [the rest](../README" + MD + ") and [x](other" + MD + ").\n");
        write(repo.resolve("README" + MD), "# Readme\n");
        Path code = write(repo.resolve("src/Main.java"), String.join("\n",
                "// docs/guide" + MD + "#2-setup is right",
                "// docs/guide" + MD + "#3-setup names no heading",
                "// docs/missing" + MD + " names no file",
                "// report" + MD + " is a file a program writes, target/out" + MD + " and a/target/x" + MD
                        + " are build output",
                "// https://example.org/docs/x" + MD + " is a web address"));
        DocReferences references = new DocReferences(repo);

        List<String> broken = references.check(code).stream().map(b -> b.reference().toString()).toList();
        assertEquals(List.of("docs/guide" + MD + "#3-setup", "docs/missing" + MD), broken);
        List<String> brokenLinks = references.check(guide).stream().map(b -> b.reference().toString()).toList();
        assertEquals(List.of("other" + MD), brokenLinks);

        // a path that is not below the citing file's folder is read from the repository root (alert runbook_urls)
        Path rules = write(repo.resolve("infra/prometheus/rules/alerts.yml"), String.join("\n",
                "      runbook_url: docs/guide" + MD + "#2-setup",
                "      runbook_url: 'docs/guide" + MD + "#no-such-alert'"));
        assertEquals(List.of("docs/guide" + MD + "#no-such-alert"),
                references.check(rules).stream().map(b -> b.reference().toString()).toList());
    }

    private static Path write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        return Files.writeString(file, text);
    }

    /** The repository's files as git sees them (tracked, and new ones not ignored), without binaries. */
    private static List<Path> textFiles() throws IOException, InterruptedException {
        Process git = new ProcessBuilder("git", "ls-files", "-z", "--cached", "--others", "--exclude-standard")
                .directory(Repo.root().toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] listing = git.getInputStream().readAllBytes();
        if (!git.waitFor(60, TimeUnit.SECONDS) || git.exitValue() != 0) {
            throw new AssertionError("`git ls-files` failed in " + Repo.root()
                    + "; this check needs git and a checkout of the repository");
        }
        List<Path> files = new ArrayList<>();
        for (String name : new String(listing, StandardCharsets.UTF_8).split("\0")) {
            Path file = Repo.root().resolve(name);
            if (!name.isEmpty() && Files.isRegularFile(file) && isText(file)) {
                files.add(file);
            }
        }
        return files;
    }

    private static boolean isText(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        byte[] head = Arrays.copyOf(bytes, Math.min(bytes.length, 8000));
        for (byte b : head) {
            if (b == 0) {
                return false;
            }
        }
        return true;
    }
}
