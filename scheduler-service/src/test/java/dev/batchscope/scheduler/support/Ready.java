package dev.batchscope.scheduler.support;

import org.awaitility.Awaitility;

import java.time.Duration;

import static io.restassured.RestAssured.given;

/** The API answers 503 until the status topic is replayed; tests start once the service is ready. */
public final class Ready {
    private Ready() {
    }

    public static void await() {
        Awaitility.await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(
                () -> given().get("/q/health/ready").then().statusCode(200));
    }
}
