package dev.batchscope.metrics.health;

import dev.batchscope.metrics.kafka.ConsumerProgress;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready once the state is rebuilt: the whole status topic and this replica's metrics partitions have been read up
 * to where they ended when assigned. Before that, /q/metrics and the API would show partial runs.
 */
@Readiness
@ApplicationScoped
public class ReplayReadiness implements HealthCheck {
    private final ConsumerProgress progress;

    public ReplayReadiness(ConsumerProgress progress) {
        this.progress = progress;
    }

    @Override
    public HealthCheckResponse call() {
        boolean statusAssigned = progress.status().assignedCount() > 0;
        boolean ready = statusAssigned && progress.status().caughtUp() && progress.metrics().caughtUp();
        return HealthCheckResponse.named("batchscope-replay")
                .status(ready)
                .withData("statusPartitions", progress.status().assignedCount())
                .withData("statusBehind", progress.status().behind())
                .withData("metricsPartitions", progress.metrics().assignedCount())
                .withData("metricsBehind", progress.metrics().behind())
                .build();
    }
}
