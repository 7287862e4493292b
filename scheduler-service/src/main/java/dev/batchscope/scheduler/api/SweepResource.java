package dev.batchscope.scheduler.api;

import dev.batchscope.events.spec.SweepSpec;
import dev.batchscope.events.validation.SpecValidator;
import dev.batchscope.events.validation.ValidationException;
import dev.batchscope.events.validation.Violations;
import dev.batchscope.scheduler.state.SweepState;
import dev.batchscope.scheduler.sweep.SweepService;
import dev.batchscope.service.api.Problem;
import dev.batchscope.service.api.SweepNotFoundException;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;
import java.util.regex.Pattern;

@Path("/api/v1/sweeps")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "sweeps", description = "Batch-size sweeps and their runs")
public class SweepResource {
    public static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    public static final String IDEMPOTENT_REPLAY = "Idempotent-Replayed";
    static final int MAX_PAGE_SIZE = 100;
    private static final Pattern KEY = Pattern.compile("[\\x21-\\x7e]{1,128}");

    private final SweepService sweeps;

    @Inject
    public SweepResource(SweepService sweeps) {
        this.sweeps = sweeps;
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Submit a sweep",
            description = "Expands batch sizes x seeds into runs, publishes one RunRequested and one QUEUED status per run. "
                    + "A POST repeated with the same Idempotency-Key returns the first answer and publishes nothing.")
    @RequestBody(required = true, content = {
            @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = SweepSpec.class)),
            @Content(mediaType = "application/yaml", schema = @Schema(implementation = SweepSpec.class))})
    @APIResponse(responseCode = "201", description = "The sweep and its runs",
            content = @Content(schema = @Schema(implementation = SweepView.class)))
    @APIResponse(responseCode = "400", description = "Invalid spec; every offending field is named",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "401", description = "A token is configured and the request lacks it")
    @APIResponse(responseCode = "422", description = "The Idempotency-Key was used for a different spec")
    @APIResponse(responseCode = "503", description = "Kafka did not acknowledge the events")
    @SecurityRequirement(name = "bearer")
    public Response submit(byte[] body,
                           @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
                           @Parameter(description = "Makes a retried POST safe: 1-128 visible ASCII characters")
                           @HeaderParam(IDEMPOTENCY_KEY) String idempotencyKey) {
        if (idempotencyKey != null && !KEY.matcher(idempotencyKey).matches()) {
            throw new ValidationException(IDEMPOTENCY_KEY, "must be 1-128 visible ASCII characters");
        }
        SweepSpec spec = SweepBodyReader.read(body, contentType);
        SweepService.Submission submission = sweeps.submit(spec, idempotencyKey);
        SweepView view = SweepViews.of(submission.sweep());
        return Response.created(UriBuilder.fromPath("/api/v1/sweeps/{id}").build(view.sweepId()))
                .header(IDEMPOTENT_REPLAY, submission.replayed() ? "true" : null)
                .entity(view).build();
    }

    @GET
    @Operation(summary = "List sweeps, newest first")
    public SweepPage list(@QueryParam("page") @DefaultValue("0") String page,
                          @QueryParam("size") @DefaultValue("20") String size) {
        Violations v = new Violations();
        int pageNumber = integer(page, "page", 0, 1_000_000, v);
        int pageSize = integer(size, "size", 1, MAX_PAGE_SIZE, v);
        v.throwIfAny();
        List<SweepState> all = sweeps.newestFirst();
        long from = Math.min((long) pageNumber * pageSize, all.size());
        List<SweepSummaryView> items = all.subList((int) from, (int) Math.min(from + pageSize, all.size())).stream()
                .map(SweepViews::summary).toList();
        return new SweepPage(items, pageNumber, pageSize, all.size());
    }

    @GET
    @Path("{id}")
    @Operation(summary = "A sweep with each run's state, attempt, trainer, effective batch size and learning rate")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = SweepView.class)))
    @APIResponse(responseCode = "404", description = "No such sweep")
    public SweepView show(@PathParam("id") String id) {
        requireId(id);
        return sweeps.find(id).map(SweepViews::of).orElseThrow(() -> new SweepNotFoundException(id));
    }

    @DELETE
    @Path("{id}")
    @Operation(summary = "Cancel a sweep",
            description = "Publishes RunCancelled for every unfinished run and CANCELLED for runs that never started.")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = CancelView.class)))
    @APIResponse(responseCode = "404", description = "No such sweep")
    @SecurityRequirement(name = "bearer")
    public CancelView cancel(@PathParam("id") String id) {
        requireId(id);
        SweepService.Cancellation cancellation = sweeps.cancel(id);
        return new CancelView(id, cancellation.cancelledRuns(), SweepViews.of(cancellation.sweep()));
    }

    private static void requireId(String id) {
        if (!SpecValidator.NAME.matcher(id).matches()) {
            throw new ValidationException("id", "must be a sweep id (" + SpecValidator.NAME_RULE + ")");
        }
    }

    private static int integer(String value, String field, int min, int max, Violations v) {
        try {
            int n = Integer.parseInt(value.trim());
            if (v.check(n >= min && n <= max, field, "must be between " + min + " and " + max + ", got " + n)) {
                return n;
            }
        } catch (NumberFormatException e) {
            v.add(field, "must be a whole number between " + min + " and " + max);
        }
        return min;
    }
}
