package dev.batchscope.metrics.aggregation;

import dev.batchscope.events.Event;
import dev.batchscope.events.Topics;
import dev.batchscope.metrics.MetricsConfig;
import dev.batchscope.metrics.analysis.SweepAnalysis;
import dev.batchscope.metrics.engine.RunRecord;
import dev.batchscope.metrics.engine.Store;
import dev.batchscope.metrics.engine.SweepRecord;
import dev.batchscope.metrics.live.LiveHub;
import dev.batchscope.metrics.export.DeadLetterReason;
import dev.batchscope.metrics.export.PrometheusExporter;
import dev.batchscope.metrics.export.ServiceMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * The one place state changes. Batches of both consumers, partition changes of the rebalance listener, REST reads and
 * the periodic sweep analysis each run under one lock, one at a time, so the store, the exporter and the live hub
 * are single-threaded code and a reader never sees half a batch. A batch is applied on the thread that delivered it
 * and takes the lock once, not once per event: no thread hand-over on the path from poll to Prometheus and to the
 * live stream (each hand-over costs a wake-up, which on two busy cores is where latency goes). That, batch
 * consumption and gauges that read live values (nothing is copied per event) keep the consumer path fast.
 */
@ApplicationScoped
public class Aggregator {
    private static final Logger LOG = Logger.getLogger(Aggregator.class);

    private final Store store;
    private final PrometheusExporter exporter;
    private final LiveHub hub = new LiveHub();
    private final ServiceMetrics serviceMetrics;
    private final Clock clock;
    private final ReentrantLock lock = new ReentrantLock();
    private final ScheduledExecutorService timer;
    private final Set<String> dirtySweeps = new HashSet<>();
    private volatile boolean stopped;

    public Aggregator(MetricsConfig config, MeterRegistry registry, ServiceMetrics serviceMetrics) {
        this.store = new Store(config.engineSettings());
        this.clock = Clock.systemUTC();
        this.exporter = new PrometheusExporter(registry, clock, config.finishedRunTtl());
        this.serviceMetrics = serviceMetrics;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "batchscope-analysis");
            t.setDaemon(true);
            return t;
        });
        long analysisMs = Math.max(100, config.analysisInterval().toMillis());
        timer.scheduleWithFixedDelay(guarded(this::refreshSweeps), analysisMs, analysisMs, TimeUnit.MILLISECONDS);
        long resyncMs = Math.max(1000, Math.min(10_000, config.finishedRunTtl().toMillis() / 10));
        timer.scheduleWithFixedDelay(guarded(this::resync), resyncMs, resyncMs, TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent event) {
        stopped = true;
        timer.shutdownNow();
    }

    public LiveHub hub() {
        return hub;
    }

    /** Applies a batch of the metrics topic; records polled before their partition was (re)assigned are skipped. */
    public CompletableFuture<BatchResult> applyMetrics(List<IncomingEvent> events) {
        return locked(() -> apply(events, true));
    }

    /** Applies a batch of the status topic. */
    public CompletableFuture<BatchResult> applyStatus(List<IncomingEvent> events) {
        return locked(() -> apply(events, false));
    }

    public CompletableFuture<Void> assign(Collection<Integer> partitions, int generation) {
        if (stopped) {
            // a rebalance while the service stops (another replica left at the same time): nothing to rebuild
            return CompletableFuture.completedFuture(null);
        }
        return locked(() -> {
            store.assign(partitions, generation);
            afterBatch();
            store.sweeps().forEach(s -> dirtySweeps.add(s.sweepId()));
            return null;
        });
    }

    /** Partitions leave; at shutdown (the aggregator already stopped) there is nothing left to drop. */
    public CompletableFuture<Void> revoke(Collection<Integer> partitions) {
        if (stopped) {
            return CompletableFuture.completedFuture(null);
        }
        return locked(() -> {
            store.revoke(partitions);
            afterBatch();
            store.sweeps().forEach(s -> dirtySweeps.add(s.sweepId()));
            return null;
        });
    }

    /**
     * This replica now exports the runs of {@code partitions} (it owns them in the replicas' shared group): their
     * series join its /q/metrics.
     */
    public CompletableFuture<Void> own(Collection<Integer> partitions) {
        return changeExport(() -> exporter.own(partitions));
    }

    /** Another replica exports the runs of {@code partitions} now: their series leave this one's /q/metrics. */
    public CompletableFuture<Void> disown(Collection<Integer> partitions) {
        return changeExport(() -> exporter.disown(partitions));
    }

    private CompletableFuture<Void> changeExport(Runnable change) {
        if (stopped) {
            return CompletableFuture.completedFuture(null);
        }
        return locked(() -> {
            change.run();
            dirtySweeps.addAll(exporter.resyncAll(store));
            return null;
        });
    }

    /** Runs a read between batches. */
    public <T> CompletableFuture<T> read(Function<Store, T> query) {
        return locked(() -> query.apply(store));
    }

    /** A new page watches the sweep: it reads the series first, the stream then carries what comes after. */
    public CompletableFuture<Void> watch(String sweepId, Runnable subscribe) {
        return locked(() -> {
            SweepRecord sweep = store.sweep(sweepId);
            if (sweep != null && !hub.watched(sweepId)) {
                sweep.runs().forEach(LiveHub::skipToEnd);
            }
            subscribe.run();
            return null;
        });
    }

    /**
     * Runs {@code task} under the lock, on the calling thread. The future carries the task's own exception (not
     * wrapped), so the API's exception mappers see it.
     */
    private <T> CompletableFuture<T> locked(java.util.function.Supplier<T> task) {
        lock.lock();
        try {
            return CompletableFuture.completedFuture(task.get());
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        } finally {
            lock.unlock();
        }
    }

    private BatchResult apply(List<IncomingEvent> events, boolean metricsTopic) {
        List<BatchResult.Rejection> rejections = null;
        Map<String, long[]> consumed = new HashMap<>(8);
        Map<Store.Verdict, long[]> skipped = new HashMap<>(8);
        long nowNanos = epochNanos(clock.instant());
        for (int i = 0; i < events.size(); i++) {
            IncomingEvent in = events.get(i);
            if (metricsTopic && !store.accepts(in.partition(), in.generation())) {
                continue;
            }
            Event event = in.event();
            if (event == null) {
                if (!metricsTopic && in.key() != null) {
                    // a tombstone on the compacted status topic: the run is gone for good
                    store.forget(in.key());
                }
                continue;
            }
            Store.Verdict verdict;
            try {
                verdict = metricsTopic ? store.applyMetrics(event, in.partition())
                        : store.applyStatus(event, in.partition());
            } catch (RuntimeException e) {
                LOG.errorf(e, "cannot apply %s of run %s", event.type(), event.runId());
                rejections = add(rejections, i, DeadLetterReason.ERROR, "cannot apply " + event.type() + ": " + e);
                continue;
            }
            count(consumed, event.type());
            if (verdict == Store.Verdict.UNEXPECTED_TYPE) {
                rejections = add(rejections, i, DeadLetterReason.UNEXPECTED_TYPE, "type: " + event.type()
                        + " does not belong on " + (metricsTopic ? Topics.METRICS : Topics.RUNS_STATUS));
            }
            if (ServiceMetrics.skips(verdict)) {
                count(skipped, verdict);
            }
            if (in.live()) {
                serviceMetrics.delay(nowNanos - epochNanos(event.emittedAt()));
            }
        }
        consumed.forEach((type, n) -> serviceMetrics.consumed(type, n[0]));
        skipped.forEach((verdict, n) -> serviceMetrics.skipped(verdict, n[0]));
        afterBatch();
        return rejections == null ? BatchResult.NONE : new BatchResult(rejections);
    }

    private void afterBatch() {
        Store.Changes changes = store.drainChanges();
        if (changes.isEmpty()) {
            return;
        }
        exporter.apply(store, changes);
        hub.publish(changes);
        for (RunRecord run : changes.touched()) {
            dirtySweeps.add(run.sweepId());
        }
        for (RunRecord run : changes.removed()) {
            dirtySweeps.add(run.sweepId());
        }
        serviceMetrics.trackedRuns(store.size());
    }

    private void refreshSweeps() {
        locked(() -> {
            refreshSweepsLocked();
            return null;
        });
    }

    private void refreshSweepsLocked() {
        if (dirtySweeps.isEmpty()) {
            return;
        }
        List<String> ids = new ArrayList<>(dirtySweeps);
        dirtySweeps.clear();
        for (String id : ids) {
            SweepRecord sweep = store.sweep(id);
            if (sweep == null) {
                exporter.removeSweep(id);
            } else {
                exporter.applySweep(store, sweep, SweepAnalysis.summarize(sweep, store));
            }
        }
    }

    private void resync() {
        locked(() -> {
            dirtySweeps.addAll(exporter.resyncAll(store));
            return null;
        });
    }

    private static List<BatchResult.Rejection> add(List<BatchResult.Rejection> list, int index, DeadLetterReason kind,
                                                   String reason) {
        List<BatchResult.Rejection> out = list == null ? new ArrayList<>() : list;
        out.add(new BatchResult.Rejection(index, kind, reason));
        return out;
    }

    private static <K> void count(Map<K, long[]> counts, K key) {
        counts.computeIfAbsent(key, k -> new long[1])[0]++;
    }

    private static long epochNanos(Instant t) {
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }

    private static Runnable guarded(Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.error("aggregator task failed", e);
            }
        };
    }
}
