package dev.batchscope.metrics.live;

import dev.batchscope.metrics.engine.RunMetrics;
import dev.batchscope.metrics.engine.RunRecord;
import dev.batchscope.metrics.engine.ShapeSeries;
import dev.batchscope.metrics.engine.Store;
import dev.batchscope.metrics.engine.StreamCursor;
import io.smallrye.mutiny.subscription.MultiEmitter;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;

/**
 * Fans new points out to the pages watching a sweep. After each batch the aggregator hands over the runs it
 * touched; only sweeps somebody watches cost anything. A run with more new points than fit one message is sent as a
 * reset, and the page reads its series again.
 */
public final class LiveHub {
    static final int MAX_POINTS_PER_RUN = 500;

    private final Map<String, Set<MultiEmitter<? super SweepUpdate>>> watchers = new ConcurrentHashMap<>();

    public void subscribe(String sweepId, MultiEmitter<? super SweepUpdate> emitter) {
        watchers.computeIfAbsent(sweepId, k -> new CopyOnWriteArraySet<>()).add(emitter);
    }

    public void unsubscribe(String sweepId, MultiEmitter<? super SweepUpdate> emitter) {
        watchers.computeIfPresent(sweepId, (k, set) -> {
            set.remove(emitter);
            return set.isEmpty() ? null : set;
        });
    }

    public boolean watched(String sweepId) {
        return watchers.containsKey(sweepId);
    }

    public Set<String> watchedSweeps() {
        return Collections.unmodifiableSet(watchers.keySet());
    }

    /** Called under the aggregator's lock after a batch. */
    public void publish(Store.Changes changes) {
        if (watchers.isEmpty()) {
            return;
        }
        Map<String, List<SweepUpdate.RunUpdate>> bySweep = new LinkedHashMap<>();
        for (RunRecord run : changes.touched()) {
            if (!watchers.containsKey(run.sweepId())) {
                continue;
            }
            SweepUpdate.RunUpdate update = drain(run);
            if (update != null) {
                bySweep.computeIfAbsent(run.sweepId(), k -> new ArrayList<>()).add(update);
            }
        }
        for (Map.Entry<String, List<SweepUpdate.RunUpdate>> entry : bySweep.entrySet()) {
            SweepUpdate update = new SweepUpdate("points", entry.getKey(), entry.getValue());
            for (MultiEmitter<? super SweepUpdate> emitter : watchers.getOrDefault(entry.getKey(), Set.of())) {
                emitter.emit(update);
            }
        }
    }

    /** Moves the run's cursors to its newest points: a new watcher reads what came before through the series API. */
    public static void skipToEnd(RunRecord run) {
        StreamCursor cursor = run.streamCursor();
        RunMetrics m = run.metrics();
        cursor.reset(false);
        if (m == null) {
            cursor.moveTo(Long.MIN_VALUE, Long.MIN_VALUE, Long.MIN_VALUE);
            return;
        }
        cursor.moveTo(last(m.iterations()), last(m.noise()), last(m.validations()));
    }

    private static long last(ShapeSeries series) {
        return series.isEmpty() ? Long.MIN_VALUE : series.step(series.size() - 1);
    }

    private static SweepUpdate.RunUpdate drain(RunRecord run) {
        StreamCursor cursor = run.streamCursor();
        RunMetrics m = run.metrics();
        String state = run.state() == null ? null : run.state().wire();
        boolean reset = cursor.reset();
        if (m == null) {
            cursor.reset(false);
            cursor.moveTo(Long.MIN_VALUE, Long.MIN_VALUE, Long.MIN_VALUE);
            return new SweepUpdate.RunUpdate(run.runId(), run.batchSize(), run.seed(), state, reset, List.of(),
                    List.of(), List.of());
        }
        List<SweepUpdate.IterationPoint> iterations = after(m.iterations(), cursor.iterations(),
                (series, i) -> new SweepUpdate.IterationPoint(series.step(i), series.samples(i), seconds(series, i),
                        value(series, i, RunMetrics.IT_LOSS), value(series, i, RunMetrics.IT_LOSS_EMA),
                        value(series, i, RunMetrics.IT_SAMPLES_PER_SECOND)));
        List<SweepUpdate.NoisePoint> noise = after(m.noise(), cursor.noise(),
                (series, i) -> new SweepUpdate.NoisePoint(series.step(i), series.samples(i), seconds(series, i),
                        value(series, i, RunMetrics.NOISE_GRAD_VARIANCE), value(series, i, RunMetrics.NOISE_SCALE)));
        List<SweepUpdate.ValidationPoint> validations = after(m.validations(), cursor.validations(),
                (series, i) -> new SweepUpdate.ValidationPoint(series.step(i), series.samples(i), seconds(series, i),
                        value(series, i, RunMetrics.VAL_LOSS), value(series, i, RunMetrics.VAL_ACCURACY)));
        cursor.moveTo(last(m.iterations()), last(m.noise()), last(m.validations()));
        cursor.reset(false);
        if (reset || iterations == null || noise == null || validations == null) {
            return new SweepUpdate.RunUpdate(run.runId(), run.batchSize(), run.seed(), state, true, List.of(),
                    List.of(), List.of());
        }
        return new SweepUpdate.RunUpdate(run.runId(), run.batchSize(), run.seed(), state, false, iterations, noise,
                validations);
    }

    /** Points with a step after {@code from}, each read by {@code point}; null when too many. */
    private static <P> List<P> after(ShapeSeries series, long from, PointReader<P> point) {
        int start = series.size();
        while (start > 0 && series.step(start - 1) > from) {
            start--;
            if (series.size() - start > MAX_POINTS_PER_RUN) {
                return null;
            }
        }
        List<P> points = new ArrayList<>(series.size() - start);
        for (int i = start; i < series.size(); i++) {
            points.add(point.read(series, i));
        }
        return points;
    }

    private static double seconds(ShapeSeries series, int i) {
        return series.elapsedMs(i) / 1000.0;
    }

    private static Double value(ShapeSeries series, int i, int column) {
        double v = series.value(i, column);
        return Double.isFinite(v) ? v : null;
    }

    @FunctionalInterface
    private interface PointReader<P> {
        P read(ShapeSeries series, int i);
    }
}
