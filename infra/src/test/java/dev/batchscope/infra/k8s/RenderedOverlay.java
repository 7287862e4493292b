package dev.batchscope.infra.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import dev.batchscope.infra.support.Repo;
import dev.batchscope.infra.support.Tools;
import dev.batchscope.infra.support.Yaml;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/** One overlay of infra/k8s rendered by the real kustomize, each manifest parsed strictly. */
public final class RenderedOverlay {
    private static final Map<String, RenderedOverlay> CACHE = new ConcurrentHashMap<>();

    private final String name;
    private final String yaml;
    private final List<JsonNode> documents;

    private RenderedOverlay(String name, String yaml) {
        this.name = name;
        this.yaml = yaml;
        this.documents = Yaml.readAll(yaml);
    }

    /**
     * Every overlay, the folders of infra/k8s/overlays with a kustomization.yaml: the parameterized tests take
     * their overlays from here, so a new overlay is checked without being listed anywhere.
     */
    public static List<String> names() {
        try (var dirs = java.nio.file.Files.list(Repo.infra("k8s/overlays"))) {
            List<String> names = dirs.filter(dir -> java.nio.file.Files.isRegularFile(dir.resolve("kustomization.yaml")))
                    .map(dir -> dir.getFileName().toString()).sorted().collect(Collectors.toList());
            if (names.isEmpty()) {
                throw new AssertionError("no overlays under " + Repo.infra("k8s/overlays"));
            }
            return names;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Renders infra/k8s/overlays/{name} once per test run. */
    public static RenderedOverlay of(String name) {
        return CACHE.computeIfAbsent(name, overlay -> new RenderedOverlay(overlay, Tools.runOk(
                Tools.kustomizeBuild(Repo.infra("k8s/overlays/" + overlay)), Repo.root(), Duration.ofMinutes(2))));
    }

    public String name() {
        return name;
    }

    public String yaml() {
        return yaml;
    }

    public List<JsonNode> documents() {
        return documents;
    }

    /** Every document parsed; the first that does not parse fails with its kind, name and the reason. */
    public List<StrictManifests.Parsed> parsed() {
        List<StrictManifests.Parsed> parsed = new ArrayList<>();
        for (JsonNode document : documents) {
            parsed.add(StrictManifests.parse(document));
        }
        return parsed;
    }

    public <T> List<T> all(Class<T> type) {
        return parsed().stream().filter(p -> type.isInstance(p.model())).map(p -> p.as(type))
                .collect(Collectors.toList());
    }

    public <T> Optional<T> find(Class<T> type, String name) {
        return parsed().stream().filter(p -> type.isInstance(p.model()) && p.name().equals(name))
                .map(p -> p.as(type)).findFirst();
    }

    public <T> T get(Class<T> type, String name) {
        return find(type, name).orElseThrow(() -> new AssertionError(
                "overlay " + this.name + " renders no " + type.getSimpleName() + " named " + name));
    }
}
