package dev.batchscope.system;

import dev.batchscope.testing.process.ServiceProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every service bounds what a client can make it hold: the request body, the header block and the request line have
 * size limits (service-common's defaults; the scheduler takes sweep specs up to 1 MiB), and a connection that goes
 * quiet is closed. The limits are the services' real settings; only the idle timeout is shortened for the test.
 */
@ExtendWith(SecuredStack.Extension.class)
class HttpLimitsIT {
    /** Each service and a body just over its limit, sent where it would otherwise be read. */
    private static Map<String, Integer> overLimit(SecuredStack stack) {
        return Map.of(
                stack.scheduler.url("/api/v1/sweeps"), 1024 * 1024 + 1,
                stack.metrics.url("/api/v1/sweeps/sw-x/series"), 64 * 1024 + 1,
                stack.trainer.url("/q/health/ready"), 64 * 1024 + 1);
    }

    @Test
    void aBodyOverTheLimitIsRefusedWith413(SecuredStack stack) {
        overLimit(stack).forEach((url, size) -> {
            Http.Answer answer = Http.send("POST", url, "application/json", new byte[size]);
            assertEquals(413, answer.status(), url + " took " + size + " bytes: " + answer);
        });
    }

    @Test
    void aHeaderBlockOverTheLimitIsRefusedWith431(SecuredStack stack) {
        for (ServiceProcess service : stack.services()) {
            HttpRequest request = HttpRequest.newBuilder(URI.create(service.url("/q/health/ready")))
                    .header("X-Padding", "p".repeat(17 * 1024)).GET().build();
            assertEquals(431, Http.send(request).status(), service.name());
        }
    }

    @Test
    void aRequestLineOverTheLimitIsRefusedWith414(SecuredStack stack) {
        for (ServiceProcess service : stack.services()) {
            Http.Answer answer = Http.get(service.url("/q/health/ready?pad=" + "p".repeat(5000)));
            assertEquals(414, answer.status(), service.name());
        }
    }

    @Test
    void aConnectionThatSendsNothingIsClosed(SecuredStack stack) throws IOException {
        for (ServiceProcess service : stack.services()) {
            assertClosedWithinIdleTimeout(service, new byte[0]);
        }
    }

    @Test
    void aRequestThatStopsHalfwayIsClosed(SecuredStack stack) throws IOException {
        // the start of a request and then silence, as a slow-loris client does
        byte[] half = "GET /q/health/ready HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII);
        for (ServiceProcess service : stack.services()) {
            assertClosedWithinIdleTimeout(service, half);
        }
    }

    private static void assertClosedWithinIdleTimeout(ServiceProcess service, byte[] send) throws IOException {
        Duration allowed = SecuredStack.IDLE_TIMEOUT.plusSeconds(5);
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(ServiceProcess.HOST, service.port()), 2000);
            socket.setSoTimeout((int) allowed.toMillis());
            OutputStream out = socket.getOutputStream();
            out.write(send);
            out.flush();
            long start = System.nanoTime();
            InputStream in = socket.getInputStream();
            try {
                while (in.read() != -1) {
                    // a 408 or any other answer is fine: what matters is that the server lets go
                }
            } catch (SocketTimeoutException e) {
                throw new AssertionError(service.name() + " kept an idle connection open for " + allowed);
            } catch (IOException reset) {
                // a reset is a close too
            }
            Duration held = Duration.ofNanos(System.nanoTime() - start);
            assertTrue(held.compareTo(allowed) < 0, service.name() + " held the connection for " + held);
        }
    }
}
