package dev.batchscope.infra.local;

import java.nio.file.Path;

/**
 * {@code java -cp ... dev.batchscope.infra.local.LocalKafkaMain start|stop|status [stateDir] [libDir]}:
 * the local broker on its own, for development without the CLI.
 */
public final class LocalKafkaMain {
    private LocalKafkaMain() {
    }

    public static void main(String[] args) throws Exception {
        String action = args.length > 0 ? args[0] : "status";
        Path stateDir = Path.of(args.length > 1 ? args[1] : ".batchscope/kafka");
        Path libDir = Path.of(args.length > 2 ? args[2] : "infra/target/kafka-libs");
        LocalKafkaBroker broker = new LocalKafkaBroker(stateDir, libDir);
        switch (action) {
            case "start" -> {
                LocalKafkaBroker.Running running = broker.start();
                System.out.println("kafka running: pid " + running.pid() + ", bootstrap " + running.bootstrapServers());
            }
            case "stop" -> System.out.println(broker.stop() ? "kafka stopped" : "kafka was not running");
            case "status" -> System.out.println(broker.running()
                    .map(r -> "kafka running: pid " + r.pid() + ", bootstrap " + r.bootstrapServers())
                    .orElse("kafka not running"));
            default -> {
                System.err.println("usage: LocalKafkaMain start|stop|status [stateDir] [libDir]");
                System.exit(2);
            }
        }
    }
}
