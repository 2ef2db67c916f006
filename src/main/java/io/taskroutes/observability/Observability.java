package io.taskroutes.observability;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheckRegistry;

/**
 * Installs the bundle's metrics notifier and one readiness check per configured provider. Camel's own health
 * checks (routes, Kafka consumers) and metrics ({@code camel.metrics.*}) come from Camel Main's configuration.
 */
public final class Observability {

    /** Provider id and the keys of which at least one must be set for it to count as configured. */
    static final Map<String, List<String>> CREDENTIALS = Map.of(
            "pixflow", List.of("token"),
            "pyrus", List.of("token", "login"),
            "yandex-tracker", List.of("token"),
            "taskapi", List.of("token"),
            "worksection", List.of("api-key", "token"));

    private Observability() {
    }

    public static void install(CamelContext context) throws Exception {
        TaskMetrics metrics = new TaskMetrics(context);
        context.getManagementStrategy().addEventNotifier(metrics);
        context.addService(metrics, true, true);
        HealthCheckRegistry health = HealthCheckRegistry.get(context);
        if (health != null) {
            CREDENTIALS.forEach((provider, keys) -> {
                Optional<String> baseUrl = property(context, "tasks." + provider + ".base-url");
                boolean configured = keys.stream().anyMatch(k -> property(context, "tasks." + provider + "." + k).isPresent());
                if (baseUrl.isPresent() && configured) {
                    health.register(new ProviderHealthCheck(provider, baseUrl.get()));
                }
            });
        }
    }

    private static Optional<String> property(CamelContext context, String key) {
        return context.getPropertiesComponent().resolveProperty(key).filter(v -> !v.isBlank());
    }
}
