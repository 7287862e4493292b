package dev.batchscope.metrics.api;

import dev.batchscope.events.validation.SpecValidator;
import dev.batchscope.events.validation.ValidationException;
import dev.batchscope.events.validation.Violation;
import dev.batchscope.metrics.aggregation.Aggregator;
import dev.batchscope.metrics.analysis.SweepAnalysis;
import dev.batchscope.metrics.analysis.SweepSummary;
import dev.batchscope.metrics.engine.RunMetrics;
import dev.batchscope.metrics.engine.RunRecord;
import dev.batchscope.metrics.engine.SeriesMetric;
import dev.batchscope.metrics.engine.SeriesReader;
import dev.batchscope.metrics.engine.Store;
import dev.batchscope.metrics.engine.SweepRecord;
import dev.batchscope.metrics.engine.XAxis;
import dev.batchscope.metrics.live.SweepUpdate;
import dev.batchscope.service.api.SweepNotFoundException;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.MultiEmitter;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.RestStreamElementType;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * The sweeps' series, summaries and live stream (docs/design.md#9-http). Reads wait for the aggregator's lock between
 * batches, so they run on worker threads, never on an event loop.
 */
@Blocking
@Path("/api/v1/sweeps")
@Produces(MediaType.APPLICATION_JSON)
public class SweepResultsResource {
    static final int DEFAULT_POINTS = 500;
    static final int MAX_POINTS = 20_000;
    private static final Duration HEARTBEAT = Duration.ofSeconds(15);

    private final Aggregator aggregator;

    public SweepResultsResource(Aggregator aggregator) {
        this.aggregator = aggregator;
    }

    /** The sweeps known here, newest first. */
    @GET
    public CompletionStage<List<SweepListItem>> list() {
        return aggregator.read(SweepResultsResource::listSweeps);
    }

    @GET
    @Path("{id}/series")
    public CompletionStage<SeriesResponse> series(@PathParam("id") String id, @QueryParam("metric") String metric,
                                                  @QueryParam("x") String x, @QueryParam("points") String points) {
        SeriesQuery query = SeriesQuery.parse(id, metric, x, points);
        return aggregator.read(store -> readSeries(store, query));
    }

    @GET
    @Path("{id}/summary")
    public CompletionStage<SweepSummary> summary(@PathParam("id") String id) {
        requireId(id);
        return aggregator.read(store -> SweepAnalysis.summarize(sweepOf(store, id), store));
    }

    /**
     * New points of the sweep's runs as server-sent events, one event per batch the service applied. The first event
     * is a heartbeat, sent once the subscription is in place; read the series after it and nothing is missed.
     */
    @GET
    @Path("{id}/stream")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    @Blocking
    public Multi<SweepUpdate> stream(@PathParam("id") String id) throws Exception {
        requireId(id);
        boolean known = aggregator.read(store -> store.sweep(id) != null).get(10, TimeUnit.SECONDS);
        if (!known) {
            throw new SweepNotFoundException(id);
        }
        Multi<SweepUpdate> updates = Multi.createFrom().emitter((MultiEmitter<? super SweepUpdate> emitter) -> {
            emitter.onTermination(() -> aggregator.hub().unsubscribe(id, emitter));
            aggregator.watch(id, () -> {
                aggregator.hub().subscribe(id, emitter);
                emitter.emit(SweepUpdate.heartbeat(id));
            });
        });
        Multi<SweepUpdate> heartbeats = Multi.createFrom().ticks().every(HEARTBEAT)
                .map(tick -> SweepUpdate.heartbeat(id));
        return Multi.createBy().merging().streams(updates, heartbeats);
    }

    private static List<SweepListItem> listSweeps(Store store) {
        List<SweepListItem> items = new ArrayList<>();
        for (SweepRecord sweep : store.sweeps()) {
            Map<String, Integer> states = new TreeMap<>();
            TreeSet<Integer> sizes = new TreeSet<>();
            for (RunRecord run : sweep.runs()) {
                states.merge(run.state() == null ? "UNKNOWN" : run.state().wire(), 1, Integer::sum);
                if (run.batchSize() != null) {
                    sizes.add(run.batchSize());
                }
            }
            items.add(new SweepListItem(sweep.sweepId(), sweep.name(), sweep.createdAt(), sweep.runCount(),
                    sweep.runs().size(), states, List.copyOf(sizes), store.holdsWholeSweep(sweep)));
        }
        items.sort(Comparator.comparing((SweepListItem i) -> i.createdAt() == null ? Instant.MIN : i.createdAt())
                .reversed().thenComparing(SweepListItem::sweepId));
        return items;
    }

    private static SeriesResponse readSeries(Store store, SeriesQuery query) {
        SweepRecord sweep = sweepOf(store, query.sweepId());
        List<RunRecord> runs = new ArrayList<>(sweep.runs());
        runs.sort(Comparator.comparing((RunRecord r) -> r.batchSize() == null ? Integer.MAX_VALUE : r.batchSize())
                .thenComparing(r -> r.seed() == null ? Long.MAX_VALUE : r.seed()).thenComparing(RunRecord::runId));
        List<SeriesResponse.RunSeries> series = new ArrayList<>(runs.size());
        for (RunRecord run : runs) {
            RunMetrics m = run.metrics();
            double[][] points = m == null ? new double[0][]
                    : SeriesReader.read(query.metric().seriesOf(m), query.metric().column(), query.x(),
                    query.points());
            series.add(new SeriesResponse.RunSeries(run.runId(), run.batchSize(), run.seed(), run.learningRate(),
                    run.state() == null ? null : run.state().wire(), points));
        }
        return new SeriesResponse(sweep.sweepId(), query.metric().wire(), query.x().wire(), series);
    }

    private static SweepRecord sweepOf(Store store, String id) {
        SweepRecord sweep = store.sweep(id);
        if (sweep == null) {
            throw new SweepNotFoundException(id);
        }
        return sweep;
    }

    static void requireId(String id) {
        if (id == null || !SpecValidator.NAME.matcher(id).matches()) {
            throw new ValidationException("id", "must be a sweep id: " + SpecValidator.NAME_RULE);
        }
    }

    /** The validated query of a series request. */
    record SeriesQuery(String sweepId, SeriesMetric metric, XAxis x, int points) {
        static SeriesQuery parse(String id, String metric, String x, String points) {
            List<Violation> violations = new ArrayList<>();
            if (id == null || !SpecValidator.NAME.matcher(id).matches()) {
                violations.add(new Violation("id", "must be a sweep id: " + SpecValidator.NAME_RULE));
            }
            SeriesMetric m = metric == null ? SeriesMetric.TRAIN_LOSS : SeriesMetric.parse(metric);
            if (m == null) {
                violations.add(new Violation("metric", "\"" + metric + "\" is not allowed; one of "
                        + SeriesMetric.allowed()));
            }
            XAxis axis = x == null ? XAxis.STEP : XAxis.parse(x);
            if (axis == null) {
                violations.add(new Violation("x", "\"" + x + "\" is not allowed; one of " + XAxis.allowed()));
            }
            int n = DEFAULT_POINTS;
            if (points != null) {
                try {
                    n = Integer.parseInt(points.trim());
                    if (n < 2 || n > MAX_POINTS) {
                        violations.add(new Violation("points", "must be an integer from 2 to " + MAX_POINTS
                                + ", got " + n));
                    }
                } catch (NumberFormatException e) {
                    violations.add(new Violation("points", "must be an integer from 2 to " + MAX_POINTS + ", got \""
                            + points + "\""));
                }
            }
            if (!violations.isEmpty()) {
                throw new ValidationException(violations);
            }
            return new SeriesQuery(id, m, axis, n);
        }
    }
}
