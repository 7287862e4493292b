package dev.batchscope.service.metrics;

import dev.batchscope.events.prometheus.ExportedMetric;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * {@code batchscope_build_info{version} 1} in every service from its start: the dashboards' job variable lists the
 * jobs that have it (so a shared Prometheus's other JVMs stay out), and it names the version that runs.
 */
@ApplicationScoped
public class BuildInfo {
    void register(@Observes StartupEvent start, MeterRegistry registry,
                  @ConfigProperty(name = "quarkus.application.version", defaultValue = "unknown") String version) {
        Gauge.builder(ExportedMetric.BUILD_INFO.meterName(), () -> 1)
                .description(ExportedMetric.BUILD_INFO.description())
                .tag("version", version)
                .strongReference(true)
                .register(registry);
    }
}
