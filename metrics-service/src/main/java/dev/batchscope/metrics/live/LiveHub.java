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
        List<Double[]> iterations = after(m.iterations(), cursor.iterations(), 3);
        List<Double[]> noise = after(m.noise(), cursor.noise(), 2);
        List<Double[]> validations = after(m.validations(), cursor.validations(), 2);
        cursor.moveTo(last(m.iterations()), last(m.noise()), last(m.validations()));
        cursor.reset(false);
        if (reset || iterations == null || noise == null || validations == null) {
            return new SweepUpdate.RunUpdate(run.runId(), run.batchSize(), run.seed(), state, true, List.of(),
                    List.of(), List.of());
        }
        return new SweepUpdate.RunUpdate(run.runId(), run.batchSize(), run.seed(), state, false, iterations, noise,
                validations);
    }

    /** Points with a step after {@code from}, as [step, samples, seconds, values...]; null when too many. */
    private static List<Double[]> after(ShapeSeries series, long from, int columns) {
        int start = series.size();
        while (start > 0 && series.step(start - 1) > from) {
            start--;
            if (series.size() - start > MAX_POINTS_PER_RUN) {
                return null;
            }
        }
        List<Double[]> points = new ArrayList<>(series.size() - start);
        for (int i = start; i < series.size(); i++) {
            Double[] p = new Double[3 + columns];
            p[0] = (double) series.step(i);
            p[1] = (double) series.samples(i);
            p[2] = series.elapsedMs(i) / 1000.0;
            for (int c = 0; c < columns; c++) {
                double v = series.value(i, c);
                p[3 + c] = Double.isFinite(v) ? v : null;
            }
            points.add(p);
        }
        return points;
    }
}
