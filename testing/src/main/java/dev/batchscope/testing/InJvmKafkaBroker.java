package dev.batchscope.testing;

import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.server.common.MetadataVersion;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A single-node KRaft broker (combined broker and controller) running inside the test JVM, from Kafka's own
 * test kit. Its log directories live under {@code target/} and are deleted on close.
 */
public final class InJvmKafkaBroker implements KafkaBroker {
    private final KafkaClusterTestKit cluster;
    private final long startMillis;

    private InJvmKafkaBroker(KafkaClusterTestKit cluster, long startMillis) {
        this.cluster = cluster;
        this.startMillis = startMillis;
    }

    public static InJvmKafkaBroker start() {
        return start(Map.of());
    }

    /** Starts a broker with extra broker configuration (listener security, for instance). */
    public static InJvmKafkaBroker start(Map<String, Object> brokerConfig) {
        long started = System.nanoTime();
        try {
            Path base = Files.createDirectories(Path.of("target", "kafka-testkit"));
            TestKitNodes nodes = new TestKitNodes.Builder()
                    .setCombined(true)
                    .setNumBrokerNodes(1)
                    .setNumControllerNodes(1)
                    .setBootstrapMetadataVersion(MetadataVersion.latestProduction())
                    .setBaseDirectory(Files.createTempDirectory(base, "broker-"))
                    .build();
            KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(nodes).setDeleteOnClose(true);
            // One node: internal topics cannot have more replicas than that
            builder.setConfigProp("offsets.topic.replication.factor", "1");
            builder.setConfigProp("transaction.state.log.replication.factor", "1");
            builder.setConfigProp("transaction.state.log.min.isr", "1");
            builder.setConfigProp("group.initial.rebalance.delay.ms", "0");
            brokerConfig.forEach(builder::setConfigProp);
            KafkaClusterTestKit cluster = builder.build();
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
            return new InJvmKafkaBroker(cluster, (System.nanoTime() - started) / 1_000_000);
        } catch (IOException e) {
            throw new IllegalStateException("cannot create the broker's directories under target/", e);
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("the in-JVM Kafka broker did not start: " + e.getMessage(), e);
        }
    }

    @Override
    public String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    @Override
    public String kind() {
        return "in-jvm";
    }

    /** How long {@link #start()} took, for the notes on test start-up cost. */
    public long startMillis() {
        return startMillis;
    }

    @Override
    public void close() {
        try {
            cluster.close();
        } catch (Exception e) {
            throw new IllegalStateException("the in-JVM Kafka broker did not stop cleanly", e);
        }
    }
}
