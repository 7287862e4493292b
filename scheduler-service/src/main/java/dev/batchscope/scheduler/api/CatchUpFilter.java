package dev.batchscope.scheduler.api;

import dev.batchscope.scheduler.kafka.StatusCatchUp;
import dev.batchscope.service.api.Problem;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.util.Optional;

/**
 * Until the status topic has been replayed the API answers 503: a list would be partial, and an idempotent retry
 * could not find the sweep it already created and would submit it twice.
 */
public class CatchUpFilter {
    private final StatusCatchUp catchUp;

    @Inject
    public CatchUpFilter(StatusCatchUp catchUp) {
        this.catchUp = catchUp;
    }

    @ServerRequestFilter
    public Optional<Response> untilCaughtUp(ContainerRequestContext request) {
        if (catchUp.caughtUp() || !request.getUriInfo().getPath().startsWith("/api/")) {
            return Optional.empty();
        }
        Response response = Problem.of(503, "starting", "The scheduler is starting", "(service)",
                "still reading batchscope.runs.status to rebuild its state; retry in a few seconds").toResponse();
        response.getHeaders().add("Retry-After", "2");
        return Optional.of(response);
    }
}
