package dev.batchscope.testing;

import org.apache.kafka.common.security.auth.SecurityProtocol;
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
    /** A SASL/PLAIN user that the test kit's broker knows (see the kit's JaasUtils). */
    public static final String SASL_USER = "plain-user1";
    public static final String SASL_PASSWORD = "plain-user1-secret";

    private final KafkaClusterTestKit cluster;
    private final long startMillis;
    private final Map<String, Object> clientSecurity;

    private InJvmKafkaBroker(KafkaClusterTestKit cluster, long startMillis, Map<String, Object> clientSecurity) {
        this.cluster = cluster;
        this.startMillis = startMillis;
        this.clientSecurity = clientSecurity;
    }

    public static InJvmKafkaBroker start() {
        return start(Map.of(), SecurityProtocol.PLAINTEXT);
    }

    /**
     * A broker whose client listener requires SASL/PLAIN; clients authenticate with {@link #clientSecurity()}.
     * Unauthenticated clients are refused.
     */
    public static InJvmKafkaBroker startWithSasl() {
        return start(Map.of(), SecurityProtocol.SASL_PLAINTEXT);
    }

    /** Starts a broker with extra broker configuration on a listener with the given security protocol. */
    public static InJvmKafkaBroker start(Map<String, Object> brokerConfig, SecurityProtocol protocol) {
        long started = System.nanoTime();
        try {
            Path base = Files.createDirectories(Path.of("target", "kafka-testkit"));
            TestKitNodes nodes = new TestKitNodes.Builder()
                    .setCombined(true)
                    .setNumBrokerNodes(1)
                    .setNumControllerNodes(1)
                    .setBootstrapMetadataVersion(MetadataVersion.latestProduction())
                    .setBrokerSecurityProtocol(protocol)
                    .setBaseDirectory(Files.createTempDirectory(base, "broker-"))
                    .build();
            KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(nodes).setDeleteOnClose(true);
            // One node: internal topics cannot have more replicas than that
            builder.setConfigProp("offsets.topic.replication.factor", "1");
            builder.setConfigProp("transaction.state.log.replication.factor", "1");
            builder.setConfigProp("transaction.state.log.min.isr", "1");
            builder.setConfigProp("group.initial.rebalance.delay.ms", "0");
            if (protocol != SecurityProtocol.PLAINTEXT) {
                // The kit turns on an ACL authorizer with only its admin as super user; these tests are about
                // authentication, so any authenticated user may act (anonymous clients cannot even connect).
                builder.setConfigProp("allow.everyone.if.no.acl.found", "true");
            }
            brokerConfig.forEach(builder::setConfigProp);
            KafkaClusterTestKit cluster = builder.build();
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
            Map<String, Object> security = protocol == SecurityProtocol.SASL_PLAINTEXT ? Map.of(
                    "security.protocol", "SASL_PLAINTEXT",
                    "sasl.mechanism", "PLAIN",
                    "sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required username=\""
                            + SASL_USER + "\" password=\"" + SASL_PASSWORD + "\";") : Map.of();
            return new InJvmKafkaBroker(cluster, (System.nanoTime() - started) / 1_000_000, security);
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
    public Map<String, Object> clientSecurity() {
        return clientSecurity;
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
