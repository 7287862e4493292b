package dev.batchscope.service.api;

import dev.batchscope.events.validation.Violation;
import jakarta.ws.rs.core.Response;

import java.util.List;
import java.util.stream.Collectors;

/**
 * An RFC 9457 problem document ({@code application/problem+json}), the one error body of every service's API.
 * {@code violations} names each offending field or parameter with what is wrong and what is allowed
 * (docs/design.md section 9).
 */
public record Problem(String type, String title, int status, String detail, List<Violation> violations) {
    public static final String MEDIA_TYPE = "application/problem+json";
    private static final String TYPE_PREFIX = "urn:batchscope:problem:";

    public static Problem of(int status, String type, String title, List<Violation> violations) {
        String detail = violations.stream().map(Violation::toString).collect(Collectors.joining("; "));
        return new Problem(TYPE_PREFIX + type, title, status, detail, violations);
    }

    public static Problem of(int status, String type, String title, String field, String message) {
        return of(status, type, title, List.of(new Violation(field, message)));
    }

    public Response toResponse() {
        return Response.status(status).type(MEDIA_TYPE).entity(this).build();
    }
}
