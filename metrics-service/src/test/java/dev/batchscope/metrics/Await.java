package dev.batchscope.metrics;

import dev.batchscope.events.prometheus.PrometheusText;
import io.restassured.RestAssured;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/** Polling helpers for tests that wait on the service. */
final class Await {
    private Await() {
    }

    static void until(BooleanSupplier condition, String what) {
        long deadline = System.currentTimeMillis() + 60_000;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            sleep(100);
        }
    }

    /** The service has rebuilt its state (readiness includes the replay). */
    static void ready() {
        until(() -> RestAssured.get("/q/health/ready").statusCode() == 200, "readiness");
    }

    /**
     * Scrapes /q/metrics until {@code events} valid events were consumed, the sweep's steps-to-target are out for
     * {@code batchSizes} batch sizes, and the sweep's gauges read the same in two scrapes an analysis round apart: the
     * analysis that sets them runs on its own interval (200 ms in tests), so the scrape that first sees every event
     * consumed can still show the gauges of the round before, or a round half written.
     */
    static PrometheusText scrape(long events, String sweep, int batchSizes) {
        PrometheusText[] last = new PrometheusText[1];
        List<PrometheusText.Sample> previous = new ArrayList<>();
        until(() -> {
            PrometheusText text = PrometheusText.parse(RestAssured.get("/q/metrics").asString());
            last[0] = text;
            double consumed = text.sum("batchscope_events_consumed_total", PrometheusText.any());
            int sizes = text.samples("batchscope_sweep_steps_to_target", PrometheusText.label("sweep", sweep)).size();
            boolean whole = consumed >= events && sizes >= batchSizes
                    && text.value("batchscope_sweep_critical_batch_size", "sweep", sweep) != null;
            List<PrometheusText.Sample> gauges = text.samples().stream()
                    .filter(g -> g.name().startsWith("batchscope_sweep_") && sweep.equals(g.labels().get("sweep")))
                    .toList();
            boolean stable = whole && gauges.equals(previous);
            previous.clear();
            previous.addAll(gauges);
            if (!stable) {
                sleep(250);
            }
            return stable;
        }, events + " events consumed and the sweep's aggregates exported, the same in two analysis rounds");
        return last[0];
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
