package dev.batchscope.metrics.engine;

import dev.batchscope.events.study.TargetCrossing;

/**
 * The last iterations of a run at full resolution, with the smoothed state after each one. Two things need it:
 * a resumed attempt restarts the smoothing exactly where its checkpoint left off (the state after the iteration before
 * the first re-sent one), and the loss volatility is measured over the most recent window.
 * A ring buffer: memory is fixed per run whatever the run's length.
 */
final class RecentIterations {
    private long[] iteration;
    private double[] loss;
    private double[] lossEma;
    private double[] traceSigmaEma;
    private double[] gradNormSqEma;
    /** The target criterion's smoothing state after each iteration (losses added, m_t). */
    private long[] crossingCount;
    private double[] crossingBiased;
    private int capacity;
    private int start;
    private int size;

    RecentIterations(int capacity) {
        allocate(capacity);
    }

    void push(long it, double rawLoss, double ema, double traceSigma, double gradNormSq,
              TargetCrossing.State crossing) {
        int slot;
        if (size < capacity) {
            slot = (start + size) % capacity;
            size++;
        } else {
            slot = start;
            start = (start + 1) % capacity;
        }
        iteration[slot] = it;
        loss[slot] = rawLoss;
        lossEma[slot] = ema;
        traceSigmaEma[slot] = traceSigma;
        gradNormSqEma[slot] = gradNormSq;
        crossingCount[slot] = crossing.iterations();
        crossingBiased[slot] = crossing.biasedEma();
    }

    /** Forgets iterations at or after {@code from}. */
    void truncateFrom(long from) {
        while (size > 0 && iteration[index(size - 1)] >= from) {
            size--;
        }
    }

    /** Position (0 = oldest) of the newest entry with iteration below {@code before}, or -1. */
    int lastBefore(long before) {
        for (int i = size - 1; i >= 0; i--) {
            if (iteration[index(i)] < before) {
                return i;
            }
        }
        return -1;
    }

    /** Whether the window still reaches back to {@code it}, so a resume from there restores the state exactly. */
    boolean covers(long it) {
        return size > 0 && iteration[index(0)] <= it;
    }

    long iteration(int i) {
        return iteration[index(i)];
    }

    double lossEma(int i) {
        return lossEma[index(i)];
    }

    double traceSigmaEma(int i) {
        return traceSigmaEma[index(i)];
    }

    double gradNormSqEma(int i) {
        return gradNormSqEma[index(i)];
    }

    /** The criterion's smoothing state after entry {@code i}, not yet crossed. */
    TargetCrossing.State crossingState(int i) {
        return new TargetCrossing.State(crossingCount[index(i)], crossingBiased[index(i)], null);
    }

    int size() {
        return size;
    }

    /**
     * Sample standard deviation of the loss around its EMA over the newest {@code window} iterations: how much the
     * mini-batch loss jumps around the trend. NaN with fewer than two iterations.
     */
    double volatility(int window) {
        int n = Math.min(window, size);
        if (n < 2) {
            return Double.NaN;
        }
        double mean = 0;
        for (int i = size - n; i < size; i++) {
            int k = index(i);
            mean += loss[k] - lossEma[k];
        }
        mean /= n;
        double sumSq = 0;
        for (int i = size - n; i < size; i++) {
            int k = index(i);
            double d = loss[k] - lossEma[k] - mean;
            sumSq += d * d;
        }
        return Math.sqrt(sumSq / (n - 1));
    }

    /** Keeps only the newest {@code keep} entries and releases the rest of the memory (a finished run). */
    void shrinkTo(int keep) {
        if (keep >= capacity) {
            return;
        }
        int n = Math.min(keep, size);
        long[] it = new long[keep];
        double[] l = new double[keep];
        double[] e = new double[keep];
        double[] t = new double[keep];
        double[] g = new double[keep];
        long[] cc = new long[keep];
        double[] cb = new double[keep];
        for (int i = 0; i < n; i++) {
            int k = index(size - n + i);
            it[i] = iteration[k];
            l[i] = loss[k];
            e[i] = lossEma[k];
            t[i] = traceSigmaEma[k];
            g[i] = gradNormSqEma[k];
            cc[i] = crossingCount[k];
            cb[i] = crossingBiased[k];
        }
        iteration = it;
        loss = l;
        lossEma = e;
        traceSigmaEma = t;
        gradNormSqEma = g;
        crossingCount = cc;
        crossingBiased = cb;
        capacity = keep;
        start = 0;
        size = n;
    }

    private void allocate(int cap) {
        capacity = Math.max(2, cap);
        iteration = new long[capacity];
        loss = new double[capacity];
        lossEma = new double[capacity];
        traceSigmaEma = new double[capacity];
        gradNormSqEma = new double[capacity];
        crossingCount = new long[capacity];
        crossingBiased = new double[capacity];
        start = 0;
        size = 0;
    }

    private int index(int i) {
        return (start + i) % capacity;
    }
}
