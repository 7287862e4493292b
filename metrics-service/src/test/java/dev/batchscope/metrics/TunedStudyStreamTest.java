package dev.batchscope.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import dev.batchscope.events.Topics;
import dev.batchscope.metrics.streams.StreamFeeder;
import dev.batchscope.metrics.streams.SyntheticTunedStudy;
import dev.batchscope.testing.KafkaBroker;
import dev.batchscope.testing.KafkaBrokerResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A tuned sweep whose right answer is known by construction ({@link SyntheticTunedStudy}: B_crit = 200,
 * S_min = 40, best learning rate as sqrt(B), B_simple = 150), fed through a real broker into the real service: the
 * summary's study analysis must find that answer.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaBrokerResource.class, restrictToAnnotatedClass = true)
class TunedStudyStreamTest {
    static final String SUMMARY = "/api/v1/sweeps/" + SyntheticTunedStudy.SWEEP + "/summary";

    KafkaBroker broker;

    @Test
    void summaryFindsTheConstructedCriticalBatchSizeLearningRatesAndNoiseScale() throws Exception {
        await("readiness").atMost(MetricsPipelineTest.WAIT)
                .until(() -> RestAssured.get("/q/health/ready").statusCode() == 200);
        SyntheticTunedStudy study = new SyntheticTunedStudy(Instant.now().minusSeconds(60));
        // status first, as the recorded streams are fed: each run's spec (and target) is known before its losses
        StreamFeeder.feed(broker, Topics.RUNS_STATUS, study.status());
        StreamFeeder.feed(broker, Topics.METRICS, study.metrics());
        await("every run of the tuned sweep applied and ended").atMost(MetricsPipelineTest.WAIT)
                .until(() -> settled(study));
        JsonNode summary = MetricsPipelineTest.get(SUMMARY);
        // kept for a person to read: what the service made of the constructed truth
        Files.writeString(Path.of("target", "tuned-study-summary.json"), summary.toPrettyString());

        assertEquals("tuned", summary.get("protocol").asText());
        assertEquals(SyntheticTunedStudy.TARGET, summary.get("target").get("loss").asDouble());
        JsonNode bCrit = summary.get("criticalBatchSize");
        double value = bCrit.get("value").asDouble();
        assertEquals(SyntheticTunedStudy.B_CRIT, value, 0.05 * SyntheticTunedStudy.B_CRIT, bCrit.toString());
        assertEquals("bootstrap-seeds", bCrit.get("method").asText());
        assertTrue(bCrit.get("low").asDouble() <= SyntheticTunedStudy.B_CRIT
                && SyntheticTunedStudy.B_CRIT <= bCrit.get("high").asDouble(), "interval holds 200: " + bCrit);

        JsonNode sizes = summary.get("batchSizes");
        assertEquals(SyntheticTunedStudy.BATCH_SIZES.length, sizes.size());
        for (int i = 0; i < sizes.size(); i++) {
            JsonNode row = sizes.get(i);
            int b = SyntheticTunedStudy.BATCH_SIZES[i];
            assertEquals(b, row.get("batchSize").asInt());
            // the service keys cells by the rate to four significant digits
            double lr = SyntheticTunedStudy.bestLearningRate(b);
            assertEquals(lr, row.get("bestLearningRate").asDouble(), 5e-4 * lr, "best lr of B=" + b);
            assertEquals(SyntheticTunedStudy.stepsToTarget(b), row.get("stepsToTarget").asDouble(), 1.5,
                    "steps to target of B=" + b);
        }
        assertEquals("square root", summary.get("lrScaling").get("shape").asText(), summary.get("lrScaling").toString());
        assertEquals(SyntheticTunedStudy.NOISE_SCALE, summary.get("noiseScaleAtTarget").asDouble(),
                0.05 * SyntheticTunedStudy.NOISE_SCALE);
        assertEquals(study.earlyStops(), summary.get("earlyStops").get("runs").asInt());
        assertEquals(SyntheticTunedStudy.BATCH_SIZES.length * 3, summary.get("grid").size());
    }

    /** Every run has ended and the service applied every iteration of the stream. */
    private static boolean settled(SyntheticTunedStudy study) {
        if (RestAssured.get(SUMMARY).statusCode() != 200) {
            return false;
        }
        JsonNode runs = MetricsPipelineTest.get(SUMMARY).get("runs");
        long iterations = 0;
        for (JsonNode run : runs) {
            if (!"SUCCEEDED".equals(run.path("state").asText())) {
                return false;
            }
            iterations += run.get("iterations").asLong();
        }
        return runs.size() == study.runs() && iterations == study.iterations();
    }
}
