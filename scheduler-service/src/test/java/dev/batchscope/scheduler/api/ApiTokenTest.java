package dev.batchscope.scheduler.api;

import org.junit.jupiter.api.BeforeEach;
import dev.batchscope.scheduler.support.Ready;
import dev.batchscope.scheduler.support.Specs;
import dev.batchscope.testing.KafkaBrokerResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

/** With BATCHSCOPE_API_TOKEN set, POST and DELETE need the bearer token; reads stay open. */
@QuarkusTest
@TestProfile(ApiTokenTest.WithToken.class)
@QuarkusTestResource(KafkaBrokerResource.class)
class ApiTokenTest {
    @BeforeEach
    void serviceIsReady() {
        Ready.await();
    }

    static final String TOKEN = "s3cret-token-for-tests";

    public static class WithToken implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("batchscope.api.token", TOKEN);
        }
    }

    @Test
    void postWithoutATokenIsUnauthorized() {
        given().contentType("application/json").body(Specs.small("no-token")).post("/api/v1/sweeps")
                .then().statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", containsString("Bearer"))
                .body("violations[0].field", equalTo("Authorization"));
    }

    @Test
    void postWithAWrongTokenIsUnauthorizedAndTheAnswerDoesNotRevealTheToken() {
        given().contentType("application/json").header("Authorization", "Bearer wrong-token")
                .body(Specs.small("wrong-token")).post("/api/v1/sweeps")
                .then().statusCode(401)
                .body(not(containsString(TOKEN)));
        // the right token under another scheme, and a prefix of the right token, are wrong too
        given().contentType("application/json").header("Authorization", "Basic " + TOKEN)
                .body(Specs.small("basic")).post("/api/v1/sweeps").then().statusCode(401);
        given().contentType("application/json").header("Authorization", "Bearer " + TOKEN.substring(0, 6))
                .body(Specs.small("prefix")).post("/api/v1/sweeps").then().statusCode(401);
    }

    @Test
    void theRightTokenSubmitsAndCancelsWhileReadsNeedNone() {
        String sweepId = given().contentType("application/json").header("Authorization", "Bearer " + TOKEN)
                .body(Specs.small("right-token")).post("/api/v1/sweeps")
                .then().statusCode(201).extract().path("sweepId");

        given().get("/api/v1/sweeps/" + sweepId).then().statusCode(200);
        given().get("/api/v1/sweeps").then().statusCode(200);

        given().delete("/api/v1/sweeps/" + sweepId).then().statusCode(401);
        given().header("Authorization", "Bearer nope").delete("/api/v1/sweeps/" + sweepId).then().statusCode(401);
        given().header("Authorization", "bearer " + TOKEN).delete("/api/v1/sweeps/" + sweepId)
                .then().statusCode(200).body("cancelledRuns", equalTo(3));
    }
}
