package dev.batchscope.metrics.health;

import dev.batchscope.metrics.kafka.ConsumerProgress;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready once the state is rebuilt: every metrics consumer of this replica holds its assignment of its group's newest
 * generation (so no start-up rebalance between them is still coming, and between them they hold every partition),
 * and the whole status topic and every metrics partition have been read up to where they ended when assigned.
 * Before that, /q/metrics and the API would show partial runs. It also waits until the replica has its first share
 * of the export group ({@link dev.batchscope.metrics.kafka.OwnershipMember}), possibly none; that share moves later
 * as replicas join and leave, which does not touch readiness: the data is whole either way.
 */
@Readiness
@ApplicationScoped
public class ReplayReadiness implements HealthCheck {
    private final ConsumerProgress progress;
    private final int metricsConsumers;

    public ReplayReadiness(ConsumerProgress progress,
                           @ConfigProperty(name = "mp.messaging.incoming.metrics.partitions", defaultValue = "1")
                           int metricsConsumers) {
        this.progress = progress;
        this.metricsConsumers = metricsConsumers;
    }

    @Override
    public HealthCheckResponse call() {
        boolean statusAssigned = progress.status().assignedCount() > 0;
        boolean membersSettled = progress.metricsMembers().settled() >= metricsConsumers;
        boolean ready = statusAssigned && membersSettled && progress.status().caughtUp()
                && progress.metrics().caughtUp() && progress.exportOwnership().hasJoined();
        return HealthCheckResponse.named("batchscope-replay")
                .status(ready)
                .withData("statusPartitions", progress.status().assignedCount())
                .withData("statusBehind", progress.status().behind())
                .withData("metricsConsumers", progress.metricsMembers().settled() + "/" + metricsConsumers)
                .withData("metricsPartitions", progress.metrics().assignedCount())
                .withData("metricsBehind", progress.metrics().behind())
                .withData("exportPartitions", progress.exportOwnership().partitions().toString())
                .build();
    }
}
