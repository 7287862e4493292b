package dev.batchscope.scheduler.health;

import dev.batchscope.scheduler.kafka.StatusCatchUp;
import dev.batchscope.scheduler.state.SweepStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready once the status topic has been replayed: before that, the API would answer from a partial state. */
@Readiness
@ApplicationScoped
public class StatusReplayReadiness implements HealthCheck {
    private final StatusCatchUp catchUp;
    private final SweepStore store;

    @Inject
    public StatusReplayReadiness(StatusCatchUp catchUp, SweepStore store) {
        this.catchUp = catchUp;
        this.store = store;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("status-topic-replay")
                .status(catchUp.caughtUp())
                .withData("replayedEvents", catchUp.replayedEvents())
                .withData("skippedRecords", catchUp.skippedRecords())
                .withData("replayMillis", catchUp.replayMillis())
                .withData("sweeps", store.sweepCount())
                .build();
    }
}
