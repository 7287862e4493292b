package dev.batchscope.system;

import dev.batchscope.testing.InJvmKafkaBroker;
import dev.batchscope.testing.process.ServiceProcess;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The three packaged services as separate processes on a broker that requires SASL/PLAIN, configured the way a
 * deployment configures them: through {@code KAFKA_*} environment variables only. One stack serves every test class
 * of the run (JUnit keeps it in the root store and closes it at the end), because starting it costs a minute here.
 */
public final class SecuredStack implements ExtensionContext.Store.CloseableResource {
    /** Only for the idle-connection check: the services' own default (60 s) would make the test wait a minute. */
    static final Duration IDLE_TIMEOUT = Duration.ofSeconds(3);
    /** The scheduler's API token: POST and DELETE need it, as on a shared deployment. */
    static final String API_TOKEN = "corpus-token-" + java.util.UUID.randomUUID();
    private static final Duration START = Duration.ofSeconds(150);
    private static final Path HOME = Path.of(System.getProperty("batchscope.home", "..")).toAbsolutePath().normalize();
    private static final Path LOGS = Path.of("target", "stack-logs").toAbsolutePath();

    final InJvmKafkaBroker broker;
    final ServiceProcess scheduler;
    final ServiceProcess metrics;
    final ServiceProcess trainer;

    private SecuredStack(InJvmKafkaBroker broker, ServiceProcess scheduler, ServiceProcess metrics,
                         ServiceProcess trainer) {
        this.broker = broker;
        this.scheduler = scheduler;
        this.metrics = metrics;
        this.trainer = trainer;
    }

    static SecuredStack start() throws IOException {
        InJvmKafkaBroker broker = InJvmKafkaBroker.startWithSasl();
        Map<String, String> env = kafkaEnvironment(broker);
        ServiceProcess scheduler = null;
        ServiceProcess metrics = null;
        ServiceProcess trainer = null;
        try {
            scheduler = service("scheduler-service", env).env("BATCHSCOPE_API_TOKEN", API_TOKEN).start();
            metrics = service("metrics-service", env).start();
            trainer = service("trainer-service", env)
                    .env("BATCHSCOPE_CHECKPOINT_DIR", LOGS.resolve("checkpoints").toString())
                    .start();
            for (ServiceProcess service : List.of(scheduler, metrics, trainer)) {
                service.awaitReady(START);
            }
            return new SecuredStack(broker, scheduler, metrics, trainer);
        } catch (IOException | RuntimeException e) {
            for (ServiceProcess service : new ServiceProcess[]{trainer, metrics, scheduler}) {
                if (service != null) {
                    service.close();
                }
            }
            broker.close();
            throw e;
        }
    }

    /** The broker's address and credentials as the KAFKA_* variables a Kubernetes secret would set. */
    static Map<String, String> kafkaEnvironment(InJvmKafkaBroker broker) {
        Map<String, String> env = new HashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers());
        broker.clientSecurity().forEach((key, value) ->
                env.put("KAFKA_" + key.toUpperCase().replace('.', '_'), value.toString()));
        return env;
    }

    List<ServiceProcess> services() {
        return List.of(scheduler, metrics, trainer);
    }

    private static ServiceProcess.Builder service(String module, Map<String, String> env) {
        return ServiceProcess.builder(ServiceProcess.packagedJar(HOME.resolve(module)))
                .name(module)
                .logDir(LOGS)
                .env(env)
                .systemProperty("quarkus.http.idle-timeout", IDLE_TIMEOUT.toSeconds() + "S")
                .jvmOptions("-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");
    }

    @Override
    public void close() {
        for (ServiceProcess service : List.of(trainer, metrics, scheduler)) {
            service.close();
        }
        broker.close();
    }

    /** Hands the one stack of this run to any test parameter of type {@link SecuredStack}. */
    public static final class Extension implements ParameterResolver {
        @Override
        public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
            return parameter.getParameter().getType() == SecuredStack.class;
        }

        @Override
        public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
            return context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                    .getOrComputeIfAbsent(SecuredStack.class, key -> {
                        try {
                            return start();
                        } catch (IOException e) {
                            throw new IllegalStateException("the stack did not start: " + e.getMessage(), e);
                        }
                    }, SecuredStack.class);
        }
    }
}
