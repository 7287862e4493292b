package dev.batchscope.scheduler.security;

import dev.batchscope.service.api.Problem;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;
import java.util.Set;

/**
 * With {@code BATCHSCOPE_API_TOKEN} set, requests that change something need {@code Authorization: Bearer <token>};
 * reads stay open. Tokens are compared as SHA-256 digests with {@link MessageDigest#isEqual}, which takes the same
 * time wherever the inputs differ and, over digests, whatever their lengths. The token is never logged.
 */
public class ApiTokenFilter {
    private static final Logger LOG = Logger.getLogger(ApiTokenFilter.class);
    private static final Set<String> MUTATING = Set.of("POST", "PUT", "PATCH", "DELETE");
    private static final String BEARER = "Bearer ";

    private final byte[] expected;

    @Inject
    public ApiTokenFilter(@ConfigProperty(name = "batchscope.api.token") Optional<String> token) {
        this.expected = token.map(String::trim).filter(t -> !t.isEmpty()).map(ApiTokenFilter::digest).orElse(null);
        LOG.infof("API token for mutating requests: %s", expected == null ? "not configured" : "required");
    }

    @ServerRequestFilter
    public Optional<Response> requireToken(ContainerRequestContext request) {
        if (expected == null || !MUTATING.contains(request.getMethod())) {
            return Optional.empty();
        }
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (header != null && header.regionMatches(true, 0, BEARER, 0, BEARER.length())
                && MessageDigest.isEqual(expected, digest(header.substring(BEARER.length()).trim()))) {
            return Optional.empty();
        }
        String problem = header == null ? "is missing" : "does not carry the configured token";
        Response response = Problem.of(401, "unauthorized", "A bearer token is required",
                        HttpHeaders.AUTHORIZATION, problem + "; send Authorization: Bearer <BATCHSCOPE_API_TOKEN>")
                .toResponse();
        response.getHeaders().add(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"batchscope\"");
        return Optional.of(response);
    }

    private static byte[] digest(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
