package dev.batchscope.infra.compose;

import com.fasterxml.jackson.databind.JsonNode;
import dev.batchscope.events.kafka.TopicCatalog;
import dev.batchscope.events.kafka.TopicDefinition;
import dev.batchscope.infra.support.Dockerfiles;
import dev.batchscope.infra.support.Repo;
import dev.batchscope.infra.support.ServiceModule;
import dev.batchscope.infra.support.Tools;
import dev.batchscope.infra.support.Yaml;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docker-compose.yml, with no Docker engine here: checked by docker-compose's own schema validation, and against the services, events' TopicCatalog, the Dockerfiles, the
 * Prometheus config and the Grafana provisioning.
 */
class DockerComposeTest {
    private static final Path COMPOSE = Repo.path("docker-compose.yml");
    private static final JsonNode SERVICES = Yaml.read(COMPOSE).path("services");
    private static final Pattern CREATE_TOPIC = Pattern.compile(
            "--create .*?--topic (\\S+) --partitions (\\d+) --replication-factor \\d+((?: --config \\S+)*)");

    @Test
    void dockerComposeAcceptsTheFile() {
        // `config` validates against the Compose schema and resolves every path without needing an engine
        Tools.runOk(List.of(Tools.dockerCompose().toString(), "-f", COMPOSE.toString(), "config", "-q"), Repo.root(),
                Duration.ofMinutes(1));
    }

    @Test
    void everyServiceHasAnImageOrABuildAndAHealthcheck() {
        Iterator<Map.Entry<String, JsonNode>> services = SERVICES.fields();
        assertTrue(services.hasNext());
        while (services.hasNext()) {
            Map.Entry<String, JsonNode> service = services.next();
            JsonNode spec = service.getValue();
            assertTrue(spec.has("image") || spec.has("build"), service.getKey() + " has neither image nor build");
            JsonNode healthcheck = spec.path("healthcheck");
            assertTrue(healthcheck.path("test").isArray() && healthcheck.path("test").size() > 1,
                    service.getKey() + " has no healthcheck test");
            assertFalse(healthcheck.path("disable").asBoolean(false), service.getKey() + " disables its healthcheck");
        }
    }

    @Test
    void eachBatchscopeServiceBuildsFromItsDockerfileAndListensOnItsPort() {
        for (ServiceModule module : ServiceModule.all()) {
            JsonNode service = service(module.name());
            assertEquals("./" + module.name(), service.path("build").path("context").asText(), module.name());
            String dockerfile = service.path("build").path("dockerfile").asText();
            assertEquals(module.dockerfile("jvm"), module.dir().resolve(dockerfile), module.name());
            assertTrue(Files.isRegularFile(module.dockerfile("jvm")), module.dockerfile("jvm") + " is missing");
            assertEquals(Dockerfiles.documentedImage(module.dockerfile("jvm")), service.path("image").asText(),
                    module.name() + ": the image tag is not the one the Dockerfile documents");

            for (JsonNode port : service.path("ports")) {
                String[] parts = port.asText().split(":");
                assertEquals(Integer.toString(module.httpPort()), parts[parts.length - 1],
                        module.name() + " publishes a port it does not listen on: " + port.asText());
            }
            String healthcheck = String.join(" ", texts(service.path("healthcheck").path("test")));
            assertTrue(healthcheck.contains("http://localhost:" + module.httpPort() + "/q/health/ready"),
                    module.name() + " healthcheck does not ask /q/health/ready on " + module.httpPort() + ": " + healthcheck);
        }
    }

    @Test
    void everyEnvironmentVariableIsOneTheServiceReads() {
        List<String> unread = new ArrayList<>();
        for (ServiceModule module : ServiceModule.all()) {
            service(module.name()).path("environment").fieldNames().forEachRemaining(variable -> {
                if (!module.readsEnvironmentVariable(variable)) {
                    unread.add(module.name() + " does not read " + variable);
                }
            });
        }
        assertEquals(List.of(), unread);
    }

    @Test
    void servicesBootstrapFromAListenerKafkaAdvertisesOnTheComposeNetwork() {
        Set<String> advertised = new TreeSet<>();
        for (String listener : service("kafka").path("environment").path("KAFKA_ADVERTISED_LISTENERS").asText().split(",")) {
            advertised.add(listener.replaceFirst("^[A-Z_]+://", ""));
        }
        for (ServiceModule module : ServiceModule.all()) {
            String bootstrap = service(module.name()).path("environment").path("KAFKA_BOOTSTRAP_SERVERS").asText();
            assertTrue(advertised.contains(bootstrap), module.name() + " bootstraps from " + bootstrap
                    + ", which kafka does not advertise (" + advertised + ")");
            assertTrue(SERVICES.has(bootstrap.split(":")[0]), bootstrap + " is not a compose service");
            assertEquals("service_completed_successfully",
                    service(module.name()).path("depends_on").path("kafka-topics").path("condition").asText(),
                    module.name() + " must start once the topics exist");
        }
        assertEquals("apache/kafka:" + kafkaVersion(), service("kafka").path("image").asText(),
                "the broker image should be the Kafka version the services are built with");
    }

    @Test
    void theTopicsCreatedAreThoseOfTheCatalog() {
        String script = String.join("\n", texts(service("kafka-topics").path("command")));
        Map<String, String> created = new TreeMap<>();
        Matcher matcher = CREATE_TOPIC.matcher(script);
        while (matcher.find()) {
            Map<String, String> configs = new TreeMap<>();
            for (String config : matcher.group(3).trim().split("\\s*--config\\s+")) {
                if (!config.isBlank()) {
                    String[] pair = config.trim().split("=", 2);
                    configs.put(pair[0], pair[1]);
                }
            }
            created.put(matcher.group(1), matcher.group(2) + " " + configs);
        }
        Map<String, String> expected = new TreeMap<>();
        for (TopicDefinition topic : TopicCatalog.ALL) {
            expected.put(topic.name(), topic.partitions() + " " + new TreeMap<>(topic.configs()));
        }
        assertEquals(expected, created);
    }

    @Test
    void theTrainerRunsTwiceAndSharesItsCheckpointVolume() {
        JsonNode trainer = service("trainer-service");
        assertEquals(2, trainer.path("deploy").path("replicas").asInt(), "the issue asks for two trainers");
        assertTrue(trainer.path("ports").isMissingNode(), "two replicas cannot publish the same host port");
        String dir = trainer.path("environment").path("BATCHSCOPE_CHECKPOINT_DIR").asText();
        assertFalse(dir.isBlank());
        assertTrue(texts(trainer.path("volumes")).stream().anyMatch(v -> v.endsWith(":" + dir)),
                "no volume mounted at " + dir);
    }

    @Test
    void prometheusScrapesEachServiceUnderItsComposeNameAndPort() {
        JsonNode config = Yaml.read(Repo.infra("prometheus/prometheus.yml"));
        Map<String, JsonNode> jobs = new TreeMap<>();
        config.path("scrape_configs").forEach(job -> jobs.put(job.path("job_name").asText(), job));
        for (ServiceModule module : ServiceModule.all()) {
            JsonNode job = jobs.get(module.name());
            assertTrue(job != null, "prometheus.yml has no job " + module.name());
            assertEquals("/q/metrics", job.path("metrics_path").asText(), module.name());
            List<String> targets = new ArrayList<>();
            job.path("static_configs").forEach(c -> targets.addAll(texts(c.path("targets"))));
            job.path("dns_sd_configs").forEach(c -> texts(c.path("names"))
                    .forEach(name -> targets.add(name + ":" + c.path("port").asText())));
            assertEquals(List.of(module.name() + ":" + module.httpPort()), targets, module.name() + " targets");
        }
        for (JsonNode job : jobs.values()) {
            for (JsonNode staticConfig : job.path("static_configs")) {
                for (String target : texts(staticConfig.path("targets"))) {
                    String host = target.split(":")[0];
                    assertTrue(host.equals("localhost") || SERVICES.has(host), target + " is not a compose service");
                }
            }
        }
        JsonNode prometheus = service("prometheus");
        assertTrue(texts(prometheus.path("volumes")).contains("./infra/prometheus:/etc/prometheus:ro"));
        assertTrue(texts(prometheus.path("command")).contains("--config.file=/etc/prometheus/prometheus.yml"));
    }

    @Test
    void grafanaIsProvisionedFromInfraGrafana() {
        JsonNode grafana = service("grafana");
        List<String> volumes = texts(grafana.path("volumes"));
        assertTrue(volumes.contains("./infra/grafana/provisioning:/etc/grafana/provisioning:ro"), volumes.toString());
        String dashboardsMount = volumes.stream().filter(v -> v.startsWith("./infra/grafana/dashboards:"))
                .map(v -> v.split(":")[1]).findFirst()
                .orElseThrow(() -> new AssertionError("infra/grafana/dashboards is not mounted"));

        JsonNode provider = Yaml.read(Repo.infra("grafana/provisioning/dashboards/batchscope.yml")).path("providers").get(0);
        assertEquals(dashboardsMount, provider.path("options").path("path").asText(),
                "the dashboard provider reads a folder compose does not mount");
        String home = grafana.path("environment").path("GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH").asText();
        assertTrue(home.startsWith(dashboardsMount + "/")
                        && Files.isRegularFile(Repo.infra("grafana/dashboards").resolve(home.substring(dashboardsMount.length() + 1))),
                "the home dashboard " + home + " is not one of infra/grafana/dashboards");

        JsonNode datasource = Yaml.read(Repo.infra("grafana/provisioning/datasources/prometheus.yml")).path("datasources").get(0);
        assertEquals("prometheus", datasource.path("type").asText());
        String[] published = texts(service("prometheus").path("ports")).get(0).split(":");
        assertEquals("http://prometheus:" + published[published.length - 1], datasource.path("url").asText());
    }

    @Test
    void everyServiceRestartsUnlessStoppedAndTheTopicJobOnlyOnFailure() {
        SERVICES.fields().forEachRemaining(service -> {
            String restart = service.getValue().path("restart").asText("no");
            String expected = service.getKey().equals("kafka-topics") ? "on-failure" : "unless-stopped";
            assertEquals(expected, restart, service.getKey() + " restart policy");
        });
    }

    @Test
    void everyServiceHasAMemoryLimit() {
        SERVICES.fields().forEachRemaining(service -> {
            JsonNode spec = service.getValue();
            String limit = spec.has("mem_limit") ? spec.path("mem_limit").asText()
                    : spec.path("deploy").path("resources").path("limits").path("memory").asText("");
            assertTrue(limit.matches("\\d+[mg]"), service.getKey() + " has no memory limit (mem_limit or deploy.resources)");
        });
    }

    /** Published ports listen on loopback unless BATCHSCOPE_BIND says otherwise, as docker-compose resolves them. */
    @Test
    void publishedPortsBindLoopbackUnlessBatchscopeBindSaysOtherwise() {
        SERVICES.fields().forEachRemaining(service -> texts(service.getValue().path("ports")).forEach(port ->
                assertTrue(port.startsWith("${BATCHSCOPE_BIND:-127.0.0.1}:"), service.getKey() + " publishes " + port)));
        assertEquals(Set.of("127.0.0.1"), publishedAddresses(null));
        assertEquals(Set.of("0.0.0.0"), publishedAddresses("0.0.0.0"));
    }

    /** The host addresses of every published port in docker-compose's resolved configuration. */
    private static Set<String> publishedAddresses(String bind) {
        Tools.Result result = Tools.run(List.of(Tools.dockerCompose().toString(), "-f", COMPOSE.toString(), "config"),
                Repo.root(), Duration.ofMinutes(1), java.util.Collections.singletonMap("BATCHSCOPE_BIND", bind));
        assertEquals(0, result.exitCode(), result.output());
        // the YAML alone: docker-compose may print warnings first
        JsonNode resolved = Yaml.readAll(result.output().substring(result.output().indexOf("services:"))).get(0);
        Set<String> addresses = new TreeSet<>();
        int published = 0;
        for (JsonNode service : resolved.path("services")) {
            for (JsonNode port : service.path("ports")) {
                published++;
                // short form "127.0.0.1:8080:8080/tcp" (docker-compose 1.x) or long form with host_ip (Compose v2)
                addresses.add(port.isObject() ? port.path("host_ip").asText("0.0.0.0") : port.asText().split(":")[0]);
            }
        }
        assertTrue(published >= 5, "docker-compose config shows " + published + " published ports");
        return addresses;
    }

    private static JsonNode service(String name) {
        JsonNode service = SERVICES.path(name);
        assertFalse(service.isMissingNode(), "docker-compose.yml has no service " + name);
        return service;
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(node -> texts.add(node.asText()));
        return texts;
    }

    private static String kafkaVersion() {
        Matcher matcher = Pattern.compile("<kafka.version>([^<]+)</kafka.version>")
                .matcher(ServiceModule.read(Repo.path("pom.xml")));
        assertTrue(matcher.find(), "the root pom has no kafka.version");
        return matcher.group(1);
    }
}
