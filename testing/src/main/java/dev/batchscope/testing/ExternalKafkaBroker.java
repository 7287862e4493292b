package dev.batchscope.testing;

/** A broker someone else runs, named by {@code KAFKA_BOOTSTRAP_SERVERS}; closing it leaves it running. */
public record ExternalKafkaBroker(String bootstrapServers) implements KafkaBroker {
    public static final String ENV = "KAFKA_BOOTSTRAP_SERVERS";

    @Override
    public String kind() {
        return "external";
    }

    @Override
    public void close() {
        // not ours to stop
    }
}
