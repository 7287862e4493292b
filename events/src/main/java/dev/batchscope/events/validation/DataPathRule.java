package dev.batchscope.events.validation;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What a {@code dataset.path} may be: a path relative to the trainer's data directories that cannot leave them
 * (docs/design.md#11-data-locations). A spec comes from anyone who can reach the scheduler, and the trainer reads the
 * file it names; an absolute path or a {@code ..} would let a spec read any file the trainer can.
 *
 * <p>The rule is lexical, so the scheduler and the CLI can apply it without the trainer's disk: not absolute (no
 * leading {@code /} or {@code \}, no drive letter, whatever the checking machine's own OS) and no {@code ..} segment.
 * Without {@code ..} a normalised relative path cannot climb above its base. Symbolic links are another matter: only
 * the trainer can resolve them, and it checks the real path again.
 */
public final class DataPathRule {
    /** The same rule as a regular expression (ECMA-262 and Java alike), for the published JSON Schema. */
    public static final String PATTERN = "^(?![/\\\\]|[A-Za-z]:)(?!(?:.*[/\\\\])?\\.\\.(?:[/\\\\]|$)).*$";
    public static final String RULE = "a path relative to the trainer's data directories, without a leading / or \\, "
            + "a drive letter or .. segments";

    private static final Pattern ABSOLUTE = Pattern.compile("^([/\\\\]|[A-Za-z]:)");
    private static final Pattern SEPARATOR = Pattern.compile("[/\\\\]");

    private DataPathRule() {
    }

    /** Why {@code path} may escape the data directories, or empty when it stays under them. */
    public static Optional<String> problem(String path) {
        if (ABSOLUTE.matcher(path).find()) {
            return Optional.of("must be " + RULE + "; got the absolute path \"" + path + "\"");
        }
        for (String segment : SEPARATOR.split(path, -1)) {
            if (segment.equals("..")) {
                return Optional.of("must be " + RULE + "; \"" + path + "\" has a .. segment");
            }
        }
        return Optional.empty();
    }
}
