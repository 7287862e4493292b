package dev.batchscope.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/**
 * Quarkus test resource: starts a real broker for the application under test and hands it
 * {@code kafka.bootstrap.servers}. Use with {@code restrictToAnnotatedClass = true} so each test class gets a
 * fresh broker and fixed topic names do not leak between classes.
 */
public class KafkaBrokerResource implements QuarkusTestResourceLifecycleManager {
    private KafkaBroker broker;

    @Override
    public Map<String, String> start() {
        broker = KafkaBrokers.start();
        return Map.of("kafka.bootstrap.servers", broker.bootstrapServers());
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
