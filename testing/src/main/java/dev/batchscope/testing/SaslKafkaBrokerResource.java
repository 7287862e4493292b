package dev.batchscope.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.HashMap;
import java.util.Map;

/**
 * Quarkus test resource: an in-JVM broker that requires SASL/PLAIN. The application under test gets the
 * credentials through the same {@code kafka.*} settings that production passes in from the environment
 * ({@code KAFKA_SECURITY_PROTOCOL}, {@code KAFKA_SASL_MECHANISM}, {@code KAFKA_SASL_JAAS_CONFIG}).
 */
public class SaslKafkaBrokerResource implements QuarkusTestResourceLifecycleManager {
    private InJvmKafkaBroker broker;

    @Override
    public Map<String, String> start() {
        broker = InJvmKafkaBroker.startWithSasl();
        Map<String, String> config = new HashMap<>();
        config.put("kafka.bootstrap.servers", broker.bootstrapServers());
        broker.clientSecurity().forEach((key, value) -> config.put("kafka." + key, value.toString()));
        return config;
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(broker, new TestInjector.MatchesType(KafkaBroker.class));
    }

    @Override
    public void stop() {
        if (broker != null) {
            broker.close();
        }
    }
}
