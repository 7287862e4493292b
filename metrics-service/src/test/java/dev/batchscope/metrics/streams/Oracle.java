package dev.batchscope.metrics.streams;

import dev.batchscope.events.study.TargetCrossing;
import dev.batchscope.events.EpochMetrics;
import dev.batchscope.events.Event;
import dev.batchscope.events.IterationMetrics;
import dev.batchscope.events.NoiseMeasurement;
import dev.batchscope.events.RunStatusChanged;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the service must make of a recorded stream, worked out the plain way: keep, per run, the list of points that
 * stand (a later attempt replaces everything from its first iteration on; older attempts and repeats are dropped),
 * then compute EMAs, crossings and spreads over those lists from scratch. It shares no code with the service.
 */
public final class Oracle {
    public final Map<String, Run> runs = new LinkedHashMap<>();
    public final Map<String, Long> consumed = new TreeMap<>();
    public long invalid;
    public long duplicate;
    public long staleAttempt;
    public long unexpectedType;
    private final double lossAlpha;
    private final double noiseAlpha;

    public Oracle(double lossAlpha, double noiseAlpha) {
        this.lossAlpha = lossAlpha;
        this.noiseAlpha = noiseAlpha;
    }

    public static Oracle of(RecordedStream metrics, RecordedStream status) {
        Oracle oracle = new Oracle(0.1, 0.2);
        status.records().forEach(r -> oracle.status(r.event()));
        metrics.records().forEach(r -> oracle.metrics(r.event()));
        return oracle;
    }

    public long validEvents() {
        return consumed.values().stream().mapToLong(Long::longValue).sum();
    }

    void status(Event event) {
        if (event == null) {
            invalid++;
            return;
        }
        consumed.merge(event.type(), 1L, Long::sum);
        RunStatusChanged s = (RunStatusChanged) event;
        Run run = runs.computeIfAbsent(s.runId(), id -> new Run(id, s.sweepId()));
        boolean terminal = run.state != null && (run.state.equals("SUCCEEDED") || run.state.equals("FAILED")
                || run.state.equals("CANCELLED"));
        if (terminal || s.attempt() < run.statusAttempt) {
            duplicate++;
            return;
        }
        run.state = s.state().wire();
        run.statusAttempt = s.attempt();
        if (s.effectiveBatchSize() != null) {
            run.batchSize = s.effectiveBatchSize();
        }
        run.seed = s.run().seed();
        run.fullBatch = s.run().batchSize() != null && s.run().batchSize().isFull();
        if (run.batchSize != null && s.run().learningRate() != null && s.run().learningRate().base() != null) {
            run.peakLearningRate = s.run().learningRate().forBatchSize(run.batchSize);
        }
        run.model = s.run().model().label();
        run.dataset = s.run().dataset().name().wire();
        run.epochsBudget = s.run().budget().epochs();
    }

    void metrics(Event event) {
        if (event == null) {
            invalid++;
            return;
        }
        consumed.merge(event.type(), 1L, Long::sum);
        if (!(event instanceof IterationMetrics) && !(event instanceof EpochMetrics)) {
            unexpectedType++;
            return;
        }
        Run run = runs.computeIfAbsent(event.runId(), id -> new Run(id, event.sweepId()));
        int attempt = event instanceof IterationMetrics it ? it.attempt() : ((EpochMetrics) event).attempt();
        long iteration = event instanceof IterationMetrics it ? it.iteration() : ((EpochMetrics) event).iteration();
        if (run.attempt != 0 && attempt < run.attempt) {
            staleAttempt++;
            return;
        }
        if (attempt > run.attempt && run.attempt != 0) {
            long firstIteration = event instanceof IterationMetrics ? iteration : iteration + 1;
            long firstEval = iteration;
            run.iterations.removeIf(i -> i.iteration() >= firstIteration);
            run.evals.removeIf(e -> e.iteration() >= firstEval);
        } else if (attempt == run.attempt || run.attempt == 0) {
            boolean repeat = event instanceof IterationMetrics
                    ? !run.iterations.isEmpty() && iteration <= run.iterations.get(run.iterations.size() - 1).iteration()
                    : !run.evals.isEmpty() && iteration <= run.evals.get(run.evals.size() - 1).iteration();
            if (repeat) {
                duplicate++;
                return;
            }
        }
        run.attempt = Math.max(run.attempt, attempt);
        if (event instanceof IterationMetrics it) {
            run.iterations.add(it);
            run.maxIteration = Math.max(run.maxIteration, it.iteration());
            run.maxSamples = Math.max(run.maxSamples, it.samplesSeen());
        } else {
            run.evals.add((EpochMetrics) event);
        }
    }

    /** One run as the stream defines it. */
    public final class Run {
        public final String runId;
        public final String sweepId;
        public String state;
        int statusAttempt = -1;
        public int attempt;
        public Integer batchSize;
        public Long seed;
        public boolean fullBatch;
        public Double peakLearningRate;
        public String model;
        public String dataset;
        public Integer epochsBudget;
        public final List<IterationMetrics> iterations = new ArrayList<>();
        public final List<EpochMetrics> evals = new ArrayList<>();
        public long maxIteration;
        public long maxSamples;

        Run(String runId, String sweepId) {
            this.runId = runId;
            this.sweepId = sweepId;
        }

        public IterationMetrics last() {
            return iterations.get(iterations.size() - 1);
        }

        public EpochMetrics lastEval() {
            return evals.get(evals.size() - 1);
        }

        /** EMA of the loss after each standing iteration. */
        public double[] lossEma() {
            double[] ema = new double[iterations.size()];
            for (int i = 0; i < ema.length; i++) {
                double l = iterations.get(i).loss();
                ema[i] = i == 0 ? l : ema[i - 1] + lossAlpha * (l - ema[i - 1]);
            }
            return ema;
        }

        /** EMA(traceSigma) / EMA(gradNormSqUnbiased) after the last measurement. */
        public double noiseScale() {
            return noiseScaleAt(Long.MAX_VALUE);
        }

        /** EMA(traceSigma) / EMA(gradNormSqUnbiased) after the last measurement at or before {@code iteration}. */
        public double noiseScaleAt(long iteration) {
            double ts = Double.NaN;
            double gn = Double.NaN;
            for (IterationMetrics it : iterations) {
                NoiseMeasurement n = it.noise();
                if (it.iteration() > iteration) {
                    break;
                }
                if (n == null) {
                    continue;
                }
                ts = Double.isNaN(ts) ? n.traceSigma() : ts + noiseAlpha * (n.traceSigma() - ts);
                gn = Double.isNaN(gn) ? n.gradNormSqUnbiased() : gn + noiseAlpha * (n.gradNormSqUnbiased() - gn);
            }
            return gn > 0 ? ts / gn : Double.NaN;
        }

        public NoiseMeasurement lastNoise() {
            NoiseMeasurement last = null;
            for (IterationMetrics it : iterations) {
                if (it.noise() != null) {
                    last = it.noise();
                }
            }
            return last;
        }

        /** t* of the trainer's criterion ({@link TargetCrossing}) over this run's losses; null when never reached. */
        public Long crossing(double target) {
            TargetCrossing crossing = new TargetCrossing(target);
            for (IterationMetrics it : iterations) {
                if (crossing.add(it.loss())) {
                    return it.iteration();
                }
            }
            return null;
        }

        /** Sample standard deviation of (loss - EMA) over the last {@code window} iterations. */
        public double volatility(int window) {
            double[] ema = lossEma();
            int n = Math.min(window, ema.length);
            double[] r = new double[n];
            for (int i = 0; i < n; i++) {
                int k = ema.length - n + i;
                r[i] = iterations.get(k).loss() - ema[k];
            }
            double mean = 0;
            for (double v : r) {
                mean += v;
            }
            mean /= n;
            double ss = 0;
            for (double v : r) {
                ss += (v - mean) * (v - mean);
            }
            return Math.sqrt(ss / (n - 1));
        }

        public double minEma() {
            double min = Double.POSITIVE_INFINITY;
            for (double v : lossEma()) {
                min = Math.min(min, v);
            }
            return min;
        }
    }
}
