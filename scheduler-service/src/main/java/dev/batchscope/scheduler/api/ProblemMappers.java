package dev.batchscope.scheduler.api;

import dev.batchscope.events.validation.ValidationException;
import dev.batchscope.scheduler.kafka.PublishFailedException;
import dev.batchscope.scheduler.sweep.IdempotencyConflictException;
import dev.batchscope.service.api.Problem;
import dev.batchscope.service.api.SweepNotFoundException;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Every API error as application/problem+json naming the field at fault. */
public class ProblemMappers {
    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response invalid(ValidationException e) {
        return Problem.of(400, "invalid-input", "The request is not valid", e.violations())
                .toResponse();
    }

    @ServerExceptionMapper
    public Response notFound(SweepNotFoundException e) {
        return Problem.of(404, "not-found", "No such sweep", "id", "no sweep " + e.sweepId()
                + " is known; GET /api/v1/sweeps lists them").toResponse();
    }

    @ServerExceptionMapper
    public Response idempotencyConflict(IdempotencyConflictException e) {
        return Problem.of(422, "idempotency-conflict", "Idempotency-Key reused",
                SweepResource.IDEMPOTENCY_KEY, e.getMessage()).toResponse();
    }

    @ServerExceptionMapper
    public Response kafkaUnavailable(PublishFailedException e) {
        LOG.warn(e.getMessage());
        return Problem.of(503, "kafka-unavailable", "Kafka is unavailable", "(service)",
                e.getMessage() + "; retry later (with the same Idempotency-Key)").toResponse();
    }
}
