package dev.batchscope.system;

import com.fasterxml.jackson.databind.JsonNode;
import dev.batchscope.testing.InJvmKafkaBroker;
import dev.batchscope.testing.process.ServiceProcess;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every service reaches a broker that requires SASL with nothing but the KAFKA_* environment a deployment sets: the
 * scheduler publishes, a trainer trains and reports, the metrics-service aggregates, and the topics were created by
 * their admin clients with the same credentials. A client without them, or with a wrong password, is refused, and
 * the password appears in no log. The scheduler's mutating calls need its API token, which no log shows either.
 */
@ExtendWith(SecuredStack.Extension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SecurityIT {

    @Test
    void aSweepRunsThroughEveryServiceOverSasl(SecuredStack stack) throws Exception {
        String sweepId = Sweeps.submitSmall(stack, "over-sasl");
        JsonNode sweep = Sweeps.awaitFinished(stack, sweepId, Duration.ofMinutes(3));
        JsonNode run = sweep.get("runs").get(0);
        assertEquals("SUCCEEDED", run.get("state").asText(), sweep.toString());
        String runId = run.get("runId").asText();

        JsonNode series = Sweeps.awaitLossPoints(stack, sweepId, runId);
        assertTrue(series.size() > 1, "the metrics-service aggregated the run's iterations: " + series);
    }

    @Test
    void aClientWithoutCredentialsCannotConnect(SecuredStack stack) {
        Map<String, Object> anonymous = new HashMap<>();
        anonymous.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.broker.bootstrapServers());
        anonymous.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 4000);
        anonymous.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000);
        try (Admin admin = Admin.create(anonymous)) {
            // a plaintext client on a SASL listener never gets past the handshake: no metadata, nothing listed
            assertThrows(ExecutionException.class, () -> admin.listTopics().names().get(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void aClientWithAWrongPasswordIsRefusedByTheBroker(SecuredStack stack) {
        Map<String, Object> impostor = new HashMap<>(stack.broker.adminProps());
        impostor.put("sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required username=\""
                + InJvmKafkaBroker.SASL_USER + "\" password=\"guessed\";");
        impostor.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000);
        impostor.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000);
        try (Admin admin = Admin.create(impostor)) {
            ExecutionException refused = assertThrows(ExecutionException.class,
                    () -> admin.listTopics().names().get(10, TimeUnit.SECONDS));
            assertInstanceOf(SaslAuthenticationException.class, refused.getCause(), refused.toString());
        }
    }

    @Test
    void submittingOrCancellingWithoutTheTokenIsRefused(SecuredStack stack) {
        Http.Answer anonymous = Http.send("POST", stack.scheduler.url("/api/v1/sweeps"), "application/json",
                Sweeps.SMALL.formatted("no-token").getBytes(StandardCharsets.UTF_8));
        assertEquals(401, anonymous.status(), anonymous.toString());
        Http.Answer cancel = Http.send(HttpRequest.newBuilder(URI.create(stack.scheduler.url("/api/v1/sweeps/sw-x")))
                .header("Authorization", "Bearer wrong-" + SecuredStack.API_TOKEN).DELETE().build());
        assertEquals(401, cancel.status(), cancel.toString());
    }

    @Test
    @Order(Integer.MAX_VALUE) // after the sweep, so the logs hold a whole life of each service
    void noSecretAppearsInAnyServiceLog(SecuredStack stack) throws Exception {
        for (ServiceProcess service : stack.services()) {
            String log = Files.readString(service.log());
            assertTrue(log.contains("started in"), service.name() + " started and logged: " + service.log());
            assertFalse(log.contains(InJvmKafkaBroker.SASL_PASSWORD), service.name() + " logged the Kafka password");
            assertFalse(log.contains(SecuredStack.API_TOKEN), service.name() + " logged the API token");
        }
    }
}
