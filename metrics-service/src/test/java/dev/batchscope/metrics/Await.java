package dev.batchscope.metrics;

import dev.batchscope.events.prometheus.PrometheusText;
import io.restassured.RestAssured;

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
     * Scrapes /q/metrics until {@code events} valid events were consumed and the sweep's steps-to-target are out for
     * {@code batchSizes} batch sizes.
     */
    static PrometheusText scrape(long events, String sweep, int batchSizes) {
        PrometheusText[] last = new PrometheusText[1];
        until(() -> {
            PrometheusText text = PrometheusText.parse(RestAssured.get("/q/metrics").asString());
            last[0] = text;
            double consumed = text.sum("batchscope_events_consumed_total", PrometheusText.any());
            int sizes = text.samples("batchscope_sweep_steps_to_target", PrometheusText.label("sweep", sweep)).size();
            return consumed >= events && sizes >= batchSizes
                    && text.value("batchscope_sweep_critical_batch_size", "sweep", sweep) != null;
        }, events + " events consumed and the sweep's aggregates exported");
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
