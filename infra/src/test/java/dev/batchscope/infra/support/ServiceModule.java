package dev.batchscope.infra.support;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * One of the three services as its own module describes it: the HTTP port of its application.properties,
 * its Dockerfile, and the environment variables it reads. The infra files are checked against this, so a
 * service that changes its port or configuration breaks the infra build instead of a deployment.
 */
public final class ServiceModule {
    public static final List<String> NAMES = List.of("scheduler-service", "trainer-service", "metrics-service");

    /**
     * Variables that a runtime library of the service reads, not the service's own code: OpenMP's thread
     * count for ND4J's native CPU backend (only for modules that depend on ND4J).
     */
    private static final Map<String, String> NATIVE_RUNTIME_VARIABLES = Map.of(
            "OMP_NUM_THREADS", "nd4j");

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)");
    private static final Pattern CONFIG_PROPERTY = Pattern.compile(
            "@ConfigProperty\\s*\\(\\s*name\\s*=\\s*\"([^\"]+)\"");
    private static final Pattern CONFIG_MAPPING = Pattern.compile(
            "@ConfigMapping\\s*\\(\\s*prefix\\s*=\\s*\"([^\"]+)\"");
    private static final Pattern ENV_LITERAL = Pattern.compile("\"([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)\"");
    private static final Pattern SHELL_VARIABLE = Pattern.compile("\\$\\{?([A-Za-z_][A-Za-z0-9_]*)");

    private final String name;
    private final Path dir;
    private final Properties properties;

    private ServiceModule(String name) {
        this.name = name;
        this.dir = Repo.path(name);
        this.properties = load(dir.resolve("src/main/resources/application.properties"));
    }

    public static ServiceModule named(String name) {
        if (!NAMES.contains(name)) {
            throw new IllegalArgumentException("unknown service " + name + "; known: " + NAMES);
        }
        return new ServiceModule(name);
    }

    public static List<ServiceModule> all() {
        return NAMES.stream().map(ServiceModule::new).collect(Collectors.toList());
    }

    public String name() {
        return name;
    }

    public Path dir() {
        return dir;
    }

    /** {@code quarkus.http.port} of the default profile. */
    public int httpPort() {
        String port = properties.getProperty("quarkus.http.port");
        if (port == null) {
            throw new AssertionError(name + "/src/main/resources/application.properties sets no quarkus.http.port");
        }
        return Integer.parseInt(port.trim());
    }

    /** A property of the default profile (no %profile prefix), if set. */
    public Optional<String> property(String key) {
        return Optional.ofNullable(properties.getProperty(key));
    }

    /** The property keys of every profile, with the {@code %profile.} prefix removed. */
    public Set<String> propertyKeys() {
        return properties.stringPropertyNames().stream()
                .map(key -> key.startsWith("%") && key.indexOf('.') > 0 ? key.substring(key.indexOf('.') + 1) : key)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    public Path dockerfile(String variant) {
        return dir.resolve("src/main/docker").resolve("Dockerfile." + variant);
    }

    /** The Maven artifactId, which Quarkus takes as quarkus.application.name unless that is set. */
    public String applicationName() {
        return property("quarkus.application.name").orElseGet(this::artifactId);
    }

    private String artifactId() {
        String pom = read(dir.resolve("pom.xml"));
        // the module's own artifactId follows the closing </parent>
        Matcher matcher = Pattern.compile("</parent>\\s*<artifactId>([^<]+)</artifactId>").matcher(pom);
        if (!matcher.find()) {
            throw new AssertionError("cannot find the artifactId in " + name + "/pom.xml");
        }
        return matcher.group(1).trim();
    }

    /**
     * Whether the service reads this environment variable: a {@code ${NAME}} placeholder in
     * application.properties, a config property whose environment form (MicroProfile Config: upper case,
     * every other character {@code _}) is the name, a string literal in its Java sources (System.getenv),
     * a variable its Dockerfile's entry point expands, a native runtime variable of a library it uses, or a
     * Kafka client setting as {@code KAFKA_*} (see {@link #kafkaClientSetting}).
     */
    public boolean readsEnvironmentVariable(String variable) {
        return environmentVariablesRead().contains(variable)
                || configPropertyNames().stream().anyMatch(property -> environmentForm(property).equals(variable))
                || configMappingPrefixes().stream().anyMatch(prefix -> variable.startsWith(environmentForm(prefix) + "_"))
                || (NATIVE_RUNTIME_VARIABLES.containsKey(variable)
                    && read(dir.resolve("pom.xml")).contains(NATIVE_RUNTIME_VARIABLES.get(variable)))
                || kafkaClientSetting(variable).isPresent();
    }

    /**
     * The Kafka client setting a {@code KAFKA_*} variable sets in this service: Quarkus puts every such variable,
     * lower-cased with {@code _} turned into {@code .}, into the client map that service-common's
     * KafkaClientConfig and the SmallRye channels start from (docs/security.md). Only for a service built on
     * service-common, and only for a name that Kafka's consumer, producer or admin client knows: a misspelt
     * {@code KAFKA_SASL_JASS_CONFIG} would be passed on and ignored, so it is not "read".
     */
    public Optional<String> kafkaClientSetting(String variable) {
        if (!variable.startsWith("KAFKA_") || !read(dir.resolve("pom.xml")).contains("batchscope-service-common")) {
            return Optional.empty();
        }
        String setting = variable.substring("KAFKA_".length()).toLowerCase(Locale.ROOT).replace('_', '.');
        Set<String> known = new TreeSet<>(org.apache.kafka.clients.consumer.ConsumerConfig.configNames());
        known.addAll(org.apache.kafka.clients.producer.ProducerConfig.configNames());
        known.addAll(org.apache.kafka.clients.admin.AdminClientConfig.configNames());
        return known.contains(setting) ? Optional.of(setting) : Optional.empty();
    }

    /** MicroProfile Config's environment variable for a property name. */
    public static String environmentForm(String property) {
        return property.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
    }

    private Set<String> environmentVariablesRead() {
        Set<String> names = new LinkedHashSet<>();
        for (Object value : properties.values()) {
            Matcher matcher = PLACEHOLDER.matcher(value.toString());
            while (matcher.find()) {
                names.add(matcher.group(1));
            }
        }
        for (String source : javaSources()) {
            Matcher matcher = ENV_LITERAL.matcher(source);
            while (matcher.find()) {
                names.add(matcher.group(1));
            }
        }
        Path dockerfile = dockerfile("jvm");
        if (Files.exists(dockerfile)) {
            for (String line : read(dockerfile).lines().filter(l -> l.startsWith("ENTRYPOINT") || l.startsWith("CMD"))
                    .collect(Collectors.toList())) {
                Matcher matcher = SHELL_VARIABLE.matcher(line);
                while (matcher.find()) {
                    names.add(matcher.group(1));
                }
            }
        }
        return names;
    }

    private Set<String> configPropertyNames() {
        Set<String> names = new TreeSet<>(propertyKeys());
        for (String source : javaSources()) {
            Matcher matcher = CONFIG_PROPERTY.matcher(source);
            while (matcher.find()) {
                names.add(matcher.group(1));
            }
        }
        return names;
    }

    private Set<String> configMappingPrefixes() {
        Set<String> prefixes = new TreeSet<>();
        for (String source : javaSources()) {
            Matcher matcher = CONFIG_MAPPING.matcher(source);
            while (matcher.find()) {
                prefixes.add(matcher.group(1));
            }
        }
        return prefixes;
    }

    private List<String> javaSources() {
        Path sources = dir.resolve("src/main/java");
        if (!Files.isDirectory(sources)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(sources)) {
            return files.filter(path -> path.toString().endsWith(".java")).map(ServiceModule::read)
                    .collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Properties load(Path file) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return properties;
    }

    public static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
