package dev.batchscope.cli.load;

import dev.batchscope.cli.probe.ConsumerLag;
import dev.batchscope.cli.probe.ProcessMemory;
import dev.batchscope.cli.probe.PrometheusScrape;
import dev.batchscope.cli.stack.StackState;
import dev.batchscope.events.Topics;
import dev.batchscope.events.prometheus.PrometheusText;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Samples the stack while the load runs, on a thread of its own: the consumer lag of the trainers' and the
 * metrics-service's groups as the broker sees it (end offsets minus committed offsets), the metrics-service's own
 * view of its lag (its Kafka consumers' records-lag), and the resident memory of every process. Keeps the maxima.
 */
final class LoadMonitor implements AutoCloseable {
    private static final String FETCH_LAG = "kafka_consumer_fetch_manager_records_lag";
    private static final String METRICS_CLIENT_PREFIX = "kafka-consumer-metrics-";

    private final StackState stack;
    private final Duration every;
    private final ConsumerLag lag;
    private final Thread thread;
    private volatile boolean running = true;

    private long maxTrainerLag;
    private long maxMetricsLag;
    private long maxMetricsFetchLag;
    private final Map<String, Long> maxRss = new LinkedHashMap<>();
    private int samples;
    private String lastProblem;

    LoadMonitor(StackState stack, Duration every) {
        this.stack = stack;
        this.every = every;
        this.lag = new ConsumerLag(stack.kafka().bootstrapServers());
        this.thread = new Thread(this::run, "load-monitor");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    private void run() {
        while (running) {
            long started = System.nanoTime();
            sampleOnce();
            long left = every.toNanos() - (System.nanoTime() - started);
            if (left > 0 && running) {
                try {
                    Thread.sleep(left / 1_000_000, (int) (left % 1_000_000));
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    private void sampleOnce() {
        try {
            long trainers = lag.lag(ConsumerLag.TRAINER_GROUP, Topics.RUNS_REQUESTED);
            long metrics = lag.lag(ConsumerLag.METRICS_GROUP, Topics.METRICS);
            long fetch = metricsFetchLag();
            synchronized (this) {
                maxTrainerLag = Math.max(maxTrainerLag, trainers);
                maxMetricsLag = Math.max(maxMetricsLag, metrics);
                maxMetricsFetchLag = Math.max(maxMetricsFetchLag, fetch);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
            return;
        } catch (RuntimeException e) {
            synchronized (this) {
                lastProblem = e.getMessage();
            }
        }
        synchronized (this) {
            recordRss("kafka", stack.kafka().pid());
            stack.services().forEach(s -> recordRss(s.name(), s.pid()));
            samples++;
        }
    }

    /** The largest records-lag among the metrics-service's consumers of the metrics topic, as the service exports it. */
    private long metricsFetchLag() throws InterruptedException {
        StackState.ServiceInfo metrics = stack.service("metrics").orElse(null);
        if (metrics == null) {
            return 0;
        }
        try {
            PrometheusText page = PrometheusScrape.scrape(metrics.prometheusUrl());
            // the consumers of the metrics channel (kafka-consumer-metrics-0, -1, ...); the status channel's is another
            java.util.function.Predicate<Map<String, String>> metricsConsumers = labels ->
                    labels.getOrDefault("client_id", "").startsWith(METRICS_CLIENT_PREFIX);
            // records-lag is the lag at the last fetch, records-lag-max the largest over the client's metric window
            return (long) Math.max(page.max(FETCH_LAG, metricsConsumers), page.max(FETCH_LAG + "_max", metricsConsumers));
        } catch (java.io.IOException e) {
            synchronized (this) {
                lastProblem = "cannot scrape the metrics-service: " + e.getMessage();
            }
            return 0;
        }
    }

    private void recordRss(String name, long pid) {
        OptionalLong rss = ProcessMemory.rssBytes(pid);
        if (rss.isPresent()) {
            maxRss.merge(name, rss.getAsLong(), Math::max);
        }
    }

    synchronized long maxTrainerLag() {
        return maxTrainerLag;
    }

    synchronized long maxMetricsLag() {
        return maxMetricsLag;
    }

    synchronized long maxMetricsFetchLag() {
        return maxMetricsFetchLag;
    }

    synchronized Map<String, Long> maxRss() {
        return new LinkedHashMap<>(maxRss);
    }

    synchronized int samples() {
        return samples;
    }

    synchronized String lastProblem() {
        return lastProblem;
    }

    /** Stops sampling and waits for the thread. */
    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(15_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        lag.close();
    }
}
