package dev.batchscope.scheduler.api;

import dev.batchscope.events.prometheus.ExportedMetric;
import org.junit.jupiter.api.BeforeEach;
import dev.batchscope.scheduler.support.Ready;
import dev.batchscope.scheduler.support.Eventually;
import dev.batchscope.scheduler.support.Specs;
import dev.batchscope.testing.KafkaBrokerResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;

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
        Eventually.within(Duration.ofSeconds(30), () -> given().get("/q/health/ready").then().statusCode(200)
                .body("checks.name", hasItem("status-topic-replay")));
        given().get("/q/health/live").then().statusCode(200);
    }

    @Test
    void metricsCountSubmittedSweepsAndRunsByState() {
        given().contentType("application/json").body(Specs.small("metered")).post("/api/v1/sweeps").then().statusCode(201);
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("batchscope_sweeps_submitted_total"))
                .body(containsString("batchscope_runs_requested_total"))
                .body(containsString("batchscope_scheduler_runs{state=\"queued\"}"));
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
