package dev.batchscope.scheduler.support;

import java.time.Duration;

import static io.restassured.RestAssured.given;

/** The API answers 503 until the status topic is replayed; tests start once the service is ready. */
public final class Ready {
    private Ready() {
    }

    public static void await() {
        Eventually.within(Duration.ofSeconds(60), () -> given().get("/q/health/ready").then().statusCode(200));
    }
}
