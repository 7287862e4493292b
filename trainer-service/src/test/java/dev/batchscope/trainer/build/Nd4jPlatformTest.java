package dev.batchscope.trainer.build;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The trainer's nd4j natives on each platform that the root POM's platform profiles cover. Maven resolves the
 * dependency tree as a machine of that OS and CPU would: {@code -Dos.name} and {@code -Dos.arch} steer both this
 * build's profiles and the javacpp.platform profiles of nd4j's own POMs. Only POMs are resolved, no jars.
 *
 * <p>The tree is that of a probe POM under the root POM holding the trainer's own nd4j dependencies and profiles,
 * copied from trainer-service/pom.xml as the test runs: the trainer's whole tree (Quarkus and all) would take Maven
 * ten times longer to collect, for the same nd4j branch.
 */
class Nd4jPlatformTest {
    private static final Path MODULE = Path.of("").toAbsolutePath();
    private static final Path PROBE = MODULE.resolve("target/nd4j-platform-probe/pom.xml");
    /** A native jar in the tree: groupId:artifactId:jar:classifier:version:scope. */
    private static final Pattern NATIVE = Pattern.compile("(org\\.nd4j:nd4j-native|org\\.nd4j:nd4j-native-preset"
            + "|org\\.nd4j:nd4j-cuda-11\\.6|org\\.bytedeco:javacpp|org\\.bytedeco:openblas):jar:([a-z0-9_-]+):[^:]+:compile");

    /**
     * Writes the probe and resolves it once with -Pcuda as this machine, online unless this build is offline: that
     * fetches the dependency plugin and the CUDA backend's POMs (the trainer's build has fetched nd4j-native's), so
     * that the trees of the other platforms, made of the same POMs, resolve offline. They must: a JVM told that it
     * runs on another OS fails at its first network connection.
     */
    @BeforeAll
    static void writeTheProbeAndFetchItsPoms() throws Exception {
        writeProbe();
        resolve(List.of("-Pcuda"), false);
    }

    @ParameterizedTest(name = "{0} {1} -> nd4j-native:{2}")
    @CsvSource({
            "Linux,      amd64,   linux-x86_64,   linux-x86_64",
            "Linux,      aarch64, linux-arm64,    linux-arm64",
            "Mac OS X,   x86_64,  macosx-x86_64,  macosx-x86_64",
            "Mac OS X,   aarch64, macosx-arm64,   macosx-arm64",
            "Windows 11, amd64,   windows-x86_64, windows-x86_64",
    })
    void theTrainerGetsTheNativesOfItsPlatform(String osName, String osArch, String nd4jClassifier, String platform)
            throws Exception {
        assertEquals(natives(nd4jClassifier, platform),
                resolve(List.of("-Dos.name=" + osName, "-Dos.arch=" + osArch), true));
    }

    /** An image for another platform, built on a Mac: javacpp.platform names the platform and wins over the OS. */
    @ParameterizedTest(name = "-Djavacpp.platform={0}")
    @CsvSource({"linux-x86_64", "linux-arm64"})
    void javacppPlatformBuildsForAnotherPlatform(String platform) throws Exception {
        assertEquals(natives(platform, platform),
                resolve(List.of("-Dos.name=Mac OS X", "-Dos.arch=aarch64", "-Djavacpp.platform=" + platform), true));
    }

    /** The GPU image's build (trainer-service/src/main/docker/Dockerfile.cuda): DL4J's CUDA backend, no nd4j-native. */
    @Test
    void theCudaProfileSwapsTheBackend() throws Exception {
        Set<String> natives = resolve(List.of("-Dos.name=Linux", "-Dos.arch=amd64", "-Pcuda"), true);
        assertEquals(true, natives.contains("org.nd4j:nd4j-cuda-11.6:linux-x86_64"), natives.toString());
        assertEquals(List.of(), natives.stream().filter(n -> n.startsWith("org.nd4j:nd4j-native:")).toList());
    }

    private static Set<String> natives(String nd4jClassifier, String platform) {
        return new TreeSet<>(List.of("org.nd4j:nd4j-native:" + nd4jClassifier, "org.nd4j:nd4j-native-preset:" + platform,
                "org.bytedeco:javacpp:" + platform, "org.bytedeco:openblas:" + platform));
    }

    /** The probe: the trainer's parent (the root POM), its org.nd4j dependencies and its profiles. */
    private static void writeProbe() throws Exception {
        Document trainer = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(MODULE.resolve("pom.xml").toFile());
        Document probe = DocumentBuilderFactory.newInstance().newDocumentBuilder().newDocument();
        Element project = (Element) probe.appendChild(probe.createElement("project"));
        append(probe, project, "modelVersion", "4.0.0");
        Element parent = (Element) project.appendChild(probe.importNode(child(trainer.getDocumentElement(), "parent"), true));
        append(probe, parent, "relativePath", "../../../pom.xml");
        append(probe, project, "artifactId", "nd4j-platform-probe");
        append(probe, project, "packaging", "pom");
        Element dependencies = (Element) project.appendChild(probe.createElement("dependencies"));
        NodeList declared = child(trainer.getDocumentElement(), "dependencies").getElementsByTagName("dependency");
        for (int i = 0; i < declared.getLength(); i++) {
            Element dependency = (Element) declared.item(i);
            if ("org.nd4j".equals(child(dependency, "groupId").getTextContent().trim())) {
                dependencies.appendChild(probe.importNode(dependency, true));
            }
        }
        Element profiles = child(trainer.getDocumentElement(), "profiles");
        if (profiles != null) {
            project.appendChild(probe.importNode(profiles, true));
        }
        Files.createDirectories(PROBE.getParent());
        var transformer = TransformerFactory.newInstance().newTransformer();
        transformer.setOutputProperty(OutputKeys.INDENT, "yes");
        transformer.transform(new DOMSource(probe), new StreamResult(PROBE.toFile()));
    }

    private static Element child(Element element, String name) {
        for (Node node = element.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element child && child.getTagName().equals(name)) {
                return child;
            }
        }
        return null;
    }

    private static void append(Document document, Element parent, String name, String text) {
        parent.appendChild(document.createElement(name)).setTextContent(text);
    }

    /** groupId:artifactId:classifier of every native jar in the probe's dependency tree. */
    private static Set<String> resolve(List<String> arguments, boolean offline) throws IOException, InterruptedException {
        Path tree = PROBE.resolveSibling("tree.txt");
        Path log = PROBE.resolveSibling("maven.log");
        Files.deleteIfExists(tree);
        List<String> command = new ArrayList<>(List.of(maven().toString(), "-B", "-q", "-f", PROBE.toString(),
                "dependency:tree", "-Dincludes=org.nd4j,org.bytedeco", "-DoutputFile=" + tree));
        if (offline || "offline=true".equals(System.getProperty("platform-test.maven.offline"))) {
            command.add("-o");
        }
        String localRepository = System.getProperty("platform-test.maven.repo.local", "");
        if (!localRepository.isBlank()) {
            command.add("-Dmaven.repo.local=" + localRepository);
        }
        command.addAll(arguments);
        Process maven = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!maven.waitFor(5, TimeUnit.MINUTES)) {
            maven.destroyForcibly().waitFor();
            throw new AssertionError("Maven did not resolve the tree within 5 minutes: " + command);
        }
        if (maven.exitValue() != 0) {
            throw new AssertionError(String.join(" ", command) + " exited " + maven.exitValue() + ":\n"
                    + Files.readString(log, StandardCharsets.UTF_8));
        }
        Set<String> natives = new TreeSet<>();
        Matcher matcher = NATIVE.matcher(Files.readString(tree, StandardCharsets.UTF_8));
        while (matcher.find()) {
            natives.add(matcher.group(1) + ":" + matcher.group(2));
        }
        return natives;
    }

    /** The Maven that runs this build (surefire passes maven.home: the wrapper's Maven). */
    private static Path maven() {
        String home = System.getProperty("maven.home", "");
        Path mvn = Path.of(home, "bin", System.getProperty("os.name").startsWith("Windows") ? "mvn.cmd" : "mvn");
        if (home.isBlank() || !Files.isExecutable(mvn)) {
            throw new AssertionError("maven.home (" + home + ") holds no Maven: run this test through ./mvnw");
        }
        return mvn;
    }
}
