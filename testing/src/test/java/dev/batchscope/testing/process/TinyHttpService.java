package dev.batchscope.testing.process;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * The smallest process that behaves like one of our services towards {@link ServiceProcess}: it reads
 * {@code quarkus.http.host/port}, answers {@code /q/health/ready} once {@code ready.after.ms} have passed, reports
 * what it was started with on {@code /settings}, and logs a line when it stops gracefully. Packaged into a jar by
 * the test, so the launcher runs it exactly as it runs a Quarkus fast-jar.
 */
public final class TinyHttpService {
    private TinyHttpService() {
    }

    public static void main(String[] args) throws IOException {
        int exitAtStart = Integer.getInteger("exit.code", 0);
        if (exitAtStart != 0) {
            System.out.println("refusing to start: exit.code=" + exitAtStart);
            System.exit(exitAtStart);
        }
        long readyAt = System.currentTimeMillis() + Long.getLong("ready.after.ms", 0L);
        HttpServer server = HttpServer.create(new InetSocketAddress(System.getProperty("quarkus.http.host"),
                Integer.getInteger("quarkus.http.port")), 0);
        server.createContext("/q/health/ready", exchange ->
                answer(exchange, System.currentTimeMillis() >= readyAt ? 200 : 503, "{\"status\":\"UP\"}"));
        server.createContext("/settings", exchange -> answer(exchange, 200, "greeting=" + System.getenv("GREETING")
                + " colour=" + System.getProperty("colour") + " maxHeap=" + Runtime.getRuntime().maxMemory()
                + " dir=" + System.getProperty("user.dir")));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> System.out.println("stopped gracefully")));
        server.start();
        System.out.println("listening on " + server.getAddress());
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
