package dev.batchscope.scheduler.api;

import dev.batchscope.events.prometheus.ExportedMetric;
import dev.batchscope.events.prometheus.PrometheusText;
import org.junit.jupiter.api.BeforeEach;
import dev.batchscope.scheduler.support.Ready;
import dev.batchscope.scheduler.support.Specs;
import dev.batchscope.testing.KafkaBrokerResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** OpenAPI, health with the replay readiness, metrics, and the sweep list's paging. */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
class ServiceEndpointsTest {
    @BeforeEach
    void serviceIsReady() {
        Ready.await();
    }


    @Test
    void openApiDescribesTheSweepEndpoints() {
        given().accept("application/json").get("/q/openapi").then().statusCode(200)
                .body("paths.'/api/v1/sweeps'.post.requestBody.content.'application/yaml'", org.hamcrest.Matchers.notNullValue())
                .body("paths.'/api/v1/sweeps/{id}'.delete", org.hamcrest.Matchers.notNullValue())
                .body("components.securitySchemes.bearer.scheme", equalTo("bearer"));
    }

    @Test
    void readinessIncludesTheStatusTopicReplay() {
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(
                () -> given().get("/q/health/ready").then().statusCode(200)
                .body("checks.name", hasItem("status-topic-replay")));
        given().get("/q/health/live").then().statusCode(200);
    }

    /**
     * Each counter goes up by what happened, read before and after: a sweep of 3 runs, its idempotent replay (not
     * counted), its cancellation; the run gauge follows the states. Nothing else submits meanwhile (the tests of this
     * app run one at a time, and no trainer consumes here).
     */
    @Test
    void metricsCountSubmittedSweepsRequestedRunsAndCancellations() {
        PrometheusText before = scrape();
        String key = "metered-" + System.nanoTime();
        String sweepId = given().contentType("application/json").header("Idempotency-Key", key)
                .body(Specs.small("metered")).post("/api/v1/sweeps").then().statusCode(201)
                .extract().path("sweepId");
        given().contentType("application/json").header("Idempotency-Key", key).body(Specs.small("metered"))
                .post("/api/v1/sweeps").then().statusCode(201).header("Idempotent-Replayed", "true");
        PrometheusText submitted = scrape();
        assertEquals(1.0, delta(before, submitted, "batchscope_sweeps_submitted_total"), "a replay is not counted");
        assertEquals(3.0, delta(before, submitted, "batchscope_runs_requested_total"), "3 batch sizes x 1 seed");
        assertEquals(3.0, delta(before, submitted, "batchscope_scheduler_runs", "state", "queued"));
        assertEquals(1.0, delta(before, submitted, "batchscope_scheduler_sweeps"));
        assertEquals(0.0, delta(before, submitted, "batchscope_runs_cancel_requested_total"));

        given().delete("/api/v1/sweeps/" + sweepId).then().statusCode(200).body("cancelledRuns", equalTo(3));
        PrometheusText cancelled = scrape();
        assertEquals(3.0, delta(submitted, cancelled, "batchscope_runs_cancel_requested_total"));
        assertEquals(-3.0, delta(submitted, cancelled, "batchscope_scheduler_runs", "state", "queued"));
        assertEquals(3.0, delta(submitted, cancelled, "batchscope_scheduler_runs", "state", "cancelled"));
        assertEquals(0.0, delta(submitted, cancelled, "batchscope_sweeps_submitted_total"));
        assertEquals(0.0, delta(submitted, cancelled, "batchscope_runs_requested_total"));
    }

    private static PrometheusText scrape() {
        return PrometheusText.parse(given().get("/q/metrics").then().statusCode(200).extract().asString());
    }

    /** How much the series went up from one scrape to the next; a series not there yet counts as 0. */
    private static double delta(PrometheusText from, PrometheusText to, String name, String... labelPairs) {
        return value(to, name, labelPairs) - value(from, name, labelPairs);
    }

    private static double value(PrometheusText page, String name, String... labelPairs) {
        return page.sum(name, labels -> {
            for (int i = 0; i < labelPairs.length; i += 2) {
                if (!labelPairs[i + 1].equals(labels.get(labelPairs[i]))) {
                    return false;
                }
            }
            return true;
        });
    }

    /** One type per name across the services: the event delay is the same histogram here as in the metrics-service. */
    @Test
    void metricsAreTheContractsNamesWithTheirTypes() {
        String text = given().get("/q/metrics").then().statusCode(200).extract().asString();
        java.util.regex.Matcher type = java.util.regex.Pattern.compile("(?m)^# TYPE (batchscope_\\w+) (\\w+)$")
                .matcher(text);
        java.util.Set<String> seen = new java.util.TreeSet<>();
        while (type.find()) {
            ExportedMetric metric = ExportedMetric.ofPrometheusName(type.group(1));
            org.junit.jupiter.api.Assertions.assertNotNull(metric, type.group(1) + " is not in ExportedMetric");
            String expected = type.group(1).endsWith("_max") && metric.type() == ExportedMetric.Type.HISTOGRAM
                    ? "gauge" : metric.type().name().toLowerCase(java.util.Locale.ROOT);
            org.junit.jupiter.api.Assertions.assertEquals(expected, type.group(2), type.group(1));
            org.junit.jupiter.api.Assertions.assertTrue(metric.services().contains(ExportedMetric.Service.SCHEDULER),
                    type.group(1));
            seen.add(type.group(1));
        }
        org.junit.jupiter.api.Assertions.assertTrue(seen.containsAll(java.util.List.of(
                "batchscope_event_delay_seconds", "batchscope_build_info")), seen.toString());
    }

    @Test
    void listIsNewestFirstAndPaged() {
        String older = given().contentType("application/json").body(Specs.small("older")).post("/api/v1/sweeps")
                .then().statusCode(201).extract().path("sweepId");
        String newer = given().contentType("application/json").body(Specs.small("newer")).post("/api/v1/sweeps")
                .then().statusCode(201).extract().path("sweepId");
        given().get("/api/v1/sweeps?page=0&size=2").then().statusCode(200)
                .body("items.sweepId", equalTo(java.util.List.of(newer, older)))
                .body("items[0].counts.QUEUED", equalTo(3))
                .body("size", equalTo(2))
                .body("total", greaterThanOrEqualTo(2));
        given().get("/api/v1/sweeps?page=1&size=1").then().statusCode(200)
                .body("items[0].sweepId", equalTo(older));
    }
}
