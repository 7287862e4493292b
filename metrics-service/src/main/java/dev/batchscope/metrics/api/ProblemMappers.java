package dev.batchscope.metrics.api;

import dev.batchscope.events.validation.ValidationException;
import dev.batchscope.events.validation.Violation;
import dev.batchscope.service.api.Problem;
import dev.batchscope.service.api.SweepNotFoundException;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.List;

/** Every API error as application/problem+json naming the parameter at fault. */
public class ProblemMappers {

    @ServerExceptionMapper
    public Response invalid(ValidationException e) {
        return Problem.of(400, "invalid-input", "The request is not valid", e.violations())
                .toResponse();
    }

    @ServerExceptionMapper
    public Response notFound(SweepNotFoundException e) {
        return Problem.of(404, "not-found", "No such sweep",
                List.of(new Violation("id", "no run of sweep " + e.sweepId()
                        + " is known here; GET /api/v1/sweeps lists the sweeps"))).toResponse();
    }
}
