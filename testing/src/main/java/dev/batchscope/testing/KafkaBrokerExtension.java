package dev.batchscope.testing;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension: one real broker per test class, started before the first test and stopped after the last.
 * Tests and lifecycle methods receive it as a {@link KafkaBroker} parameter.
 */
public class KafkaBrokerExtension implements BeforeAllCallback, AfterAllCallback, ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(KafkaBrokerExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        store(context).put(KafkaBroker.class, KafkaBrokers.start());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        KafkaBroker broker = store(context).remove(KafkaBroker.class, KafkaBroker.class);
        if (broker != null) {
            broker.close();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == KafkaBroker.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return store(context).get(KafkaBroker.class, KafkaBroker.class);
    }

    private static ExtensionContext.Store store(ExtensionContext context) {
        ExtensionContext classContext = context.getTestClass().isPresent() && context.getTestMethod().isPresent()
                ? context.getParent().orElse(context) : context;
        return classContext.getStore(NAMESPACE);
    }
}
