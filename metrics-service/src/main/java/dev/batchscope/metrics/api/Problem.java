package dev.batchscope.metrics.api;

import dev.batchscope.events.validation.Violation;
import jakarta.ws.rs.core.Response;

import java.util.List;
import java.util.stream.Collectors;

/**
 * An RFC 9457 problem document ({@code application/problem+json}); {@code violations} names each offending
 * parameter with what is wrong and what is allowed.
 */
public record Problem(String type, String title, int status, String detail, List<Violation> violations) {
    public static final String MEDIA_TYPE = "application/problem+json";
    private static final String TYPE_PREFIX = "urn:batchscope:problem:";

    public static Problem of(Response.Status status, String type, String title, List<Violation> violations) {
        String detail = violations.stream().map(Violation::toString).collect(Collectors.joining("; "));
        return new Problem(TYPE_PREFIX + type, title, status.getStatusCode(), detail, violations);
    }

    public Response toResponse() {
        return Response.status(status).type(MEDIA_TYPE).entity(this).build();
    }
}
