package dev.batchscope.events.validation;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The lexical rule for dataset.path, and the schema's pattern that must say the same. */
class DataPathRuleTest {
    private static final Pattern SCHEMA_PATTERN = Pattern.compile(DataPathRule.PATTERN);

    @ParameterizedTest
    @ValueSource(strings = {"data.csv", "sets/iris.csv", "cifar-10-batches-bin", "a..b/c.csv", "..data/x.csv",
            "x../y.csv", "./x.csv", ".", "a/./b.csv"})
    void aRelativePathWithoutDotDotStaysUnderTheDataDirectories(String path) {
        assertEquals("", DataPathRule.problem(path).orElse(""), path);
        assertTrue(SCHEMA_PATTERN.matcher(path).matches(), "the schema refuses " + path);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/etc/passwd", "/", "\\\\server\\share\\x.csv", "\\x.csv", "C:\\data.csv", "c:x.csv"})
    void anAbsolutePathIsRefused(String path) {
        assertTrue(DataPathRule.problem(path).orElse("").contains("got the absolute path \"" + path + "\""), path);
        assertTrue(!SCHEMA_PATTERN.matcher(path).matches(), "the schema takes " + path);
    }

    @ParameterizedTest
    @ValueSource(strings = {"..", "../x.csv", "a/../../x.csv", "a/..", "a\\..\\b.csv", "sets/../iris.csv"})
    void aDotDotSegmentIsRefusedEvenWhereItWouldStayInside(String path) {
        assertTrue(DataPathRule.problem(path).orElse("").contains("has a .. segment"), path);
        assertTrue(!SCHEMA_PATTERN.matcher(path).matches(), "the schema takes " + path);
    }
}
