package dev.batchscope.metrics.engine;

import java.util.Arrays;

/**
 * One run's points of one kind (iterations, noise measurements, validations), column by column in primitive
 * arrays. Up to {@code capacity} points are kept at full resolution. When the buffer is full it is compacted to half
 * by keeping, of every four consecutive points, the one with the lowest and the one with the highest value of the
 * shape column: spikes and dips survive, so a downsampled loss curve still looks like the raw one. After a compaction
 * new points are bucketed the same way (min and max of each run of {@code bucketRaw} raw points), so resolution stays
 * uniform along the run instead of old data being squeezed again and again.
 *
 * <p>Steps are strictly increasing: the caller drops duplicates and truncates before a resumed attempt re-sends.
 * Not thread-safe; used under the Aggregator's lock.
 */
public final class ShapeSeries {
    private final int capacity;
    private final int shapeColumn;
    private final int columns;

    private long[] steps;
    private long[] samples;
    private long[] elapsedMs;
    private double[][] values;
    private int size;

    /** Raw points per stored min/max pair; 1 until the first compaction (every raw point is stored). */
    private long bucketRaw = 1;
    private final Pending pending;

    public ShapeSeries(int capacity, int columns, int shapeColumn) {
        if (capacity < 8 || capacity % 4 != 0) {
            throw new IllegalArgumentException("capacity must be a multiple of 4 and at least 8, got " + capacity);
        }
        this.capacity = capacity;
        this.columns = columns;
        this.shapeColumn = shapeColumn;
        int initial = Math.min(capacity, 64);
        steps = new long[initial];
        samples = new long[initial];
        elapsedMs = new long[initial];
        values = new double[columns][initial];
        pending = new Pending(columns);
    }

    public void append(long step, long samplesSeen, long elapsed, double... point) {
        if (point.length != columns) {
            throw new IllegalArgumentException("expected " + columns + " values, got " + point.length);
        }
        if (bucketRaw == 1) {
            ensureRoom(1);
            store(step, samplesSeen, elapsed, point);
            return;
        }
        pending.offer(step, samplesSeen, elapsed, point, shapeColumn);
        if (pending.count == bucketRaw) {
            flushPending();
        }
    }

    /** Drops every point at or after {@code step}: a resumed attempt re-sends them. */
    public void truncateFrom(long step) {
        if (pending.count > 0 && pending.lastStep >= step) {
            // the bucket's other raw points are gone; losing up to bucketRaw-1 points is the price of bounded memory
            pending.clear();
        }
        int keep = lowerBound(step);
        size = keep;
    }

    /** Stored points plus the open bucket, which a reader sees too so live points show up at once. */
    public int size() {
        return size + pending.visibleCount();
    }

    public boolean isEmpty() {
        return size() == 0;
    }

    public long step(int i) {
        return i < size ? steps[i] : pending.point(i - size).step;
    }

    public long samples(int i) {
        return i < size ? samples[i] : pending.point(i - size).samples;
    }

    public long elapsedMs(int i) {
        return i < size ? elapsedMs[i] : pending.point(i - size).elapsedMs;
    }

    public double value(int i, int column) {
        return i < size ? values[column][i] : pending.point(i - size).values[column];
    }

    /** The index of the last point with a step below {@code step}, or -1. */
    public int lastIndexBefore(long step) {
        for (int i = size() - 1; i >= 0; i--) {
            if (step(i) < step) {
                return i;
            }
        }
        return -1;
    }

    /** How many raw points one stored min/max pair stands for; 1 while nothing has been downsampled. */
    public long bucketRaw() {
        return bucketRaw;
    }

    public int capacity() {
        return capacity;
    }

    private void flushPending() {
        ensureRoom(2);
        Point first = pending.first();
        Point second = pending.second();
        store(first.step, first.samples, first.elapsedMs, first.values);
        if (second != null) {
            store(second.step, second.samples, second.elapsedMs, second.values);
        }
        pending.clear();
    }

    private void ensureRoom(int needed) {
        if (size + needed > capacity) {
            compact();
        }
        if (size + needed > steps.length) {
            int grown = Math.min(capacity, Math.max(steps.length * 2, size + needed));
            steps = Arrays.copyOf(steps, grown);
            samples = Arrays.copyOf(samples, grown);
            elapsedMs = Arrays.copyOf(elapsedMs, grown);
            for (int c = 0; c < columns; c++) {
                values[c] = Arrays.copyOf(values[c], grown);
            }
        }
    }

    /** Halves the stored points: of every four consecutive points keep the min and the max of the shape column. */
    private void compact() {
        int out = 0;
        for (int start = 0; start < size; start += 4) {
            int end = Math.min(start + 4, size);
            if (end - start <= 2) {
                for (int i = start; i < end; i++) {
                    move(i, out++);
                }
                continue;
            }
            int lo = start;
            int hi = start;
            for (int i = start + 1; i < end; i++) {
                double v = values[shapeColumn][i];
                if (less(v, values[shapeColumn][lo])) {
                    lo = i;
                }
                if (!less(v, values[shapeColumn][hi])) {
                    hi = i;
                }
            }
            if (lo == hi) {
                hi = lo == end - 1 ? start : end - 1;
            }
            int a = Math.min(lo, hi);
            int b = Math.max(lo, hi);
            move(a, out++);
            move(b, out++);
        }
        size = out;
        bucketRaw = bucketRaw == 1 ? 4 : bucketRaw * 2;
    }

    private void move(int from, int to) {
        if (from == to) {
            return;
        }
        steps[to] = steps[from];
        samples[to] = samples[from];
        elapsedMs[to] = elapsedMs[from];
        for (int c = 0; c < columns; c++) {
            values[c][to] = values[c][from];
        }
    }

    private void store(long step, long samplesSeen, long elapsed, double[] point) {
        steps[size] = step;
        samples[size] = samplesSeen;
        elapsedMs[size] = elapsed;
        for (int c = 0; c < columns; c++) {
            values[c][size] = point[c];
        }
        size++;
    }

    private int lowerBound(long step) {
        int lo = 0;
        int hi = size;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (steps[mid] < step) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** NaN is never the minimum or maximum while a number is there. */
    static boolean less(double a, double b) {
        if (Double.isNaN(a)) {
            return false;
        }
        return Double.isNaN(b) || a < b;
    }

    private static final class Point {
        long step;
        long samples;
        long elapsedMs;
        final double[] values;

        Point(int columns) {
            values = new double[columns];
        }

        void set(long step, long samples, long elapsedMs, double[] point) {
            this.step = step;
            this.samples = samples;
            this.elapsedMs = elapsedMs;
            System.arraycopy(point, 0, values, 0, values.length);
        }
    }

    /** The open bucket: only its min and max points (by the shape column) are remembered. */
    private static final class Pending {
        final Point min;
        final Point max;
        long count;
        long lastStep;

        Pending(int columns) {
            min = new Point(columns);
            max = new Point(columns);
        }

        void offer(long step, long samples, long elapsedMs, double[] point, int shapeColumn) {
            double v = point[shapeColumn];
            if (count == 0) {
                min.set(step, samples, elapsedMs, point);
                max.set(step, samples, elapsedMs, point);
            } else {
                if (less(v, min.values[shapeColumn])) {
                    min.set(step, samples, elapsedMs, point);
                }
                if (!less(v, max.values[shapeColumn])) {
                    max.set(step, samples, elapsedMs, point);
                }
            }
            count++;
            lastStep = step;
        }

        int visibleCount() {
            if (count == 0) {
                return 0;
            }
            return min.step == max.step ? 1 : 2;
        }

        Point first() {
            return min.step <= max.step ? min : max;
        }

        Point second() {
            if (min.step == max.step) {
                return null;
            }
            return min.step <= max.step ? max : min;
        }

        Point point(int i) {
            return i == 0 ? first() : second();
        }

        void clear() {
            count = 0;
        }
    }
}
