package io.taskroutes.observability;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheckRegistry;

/**
 * Installs the command MDC, the bundle's meters (only when Micrometer is on the classpath: the routes run
 * without it) and one readiness check per configured provider (when the application has a health registry).
 * Camel's own health checks and metrics are the application's to configure.
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
        CommandMdc mdc = new CommandMdc();
        context.getManagementStrategy().addEventNotifier(mdc);
        context.addService(mdc, true, true);
        if (micrometerPresent()) {
            TaskMetrics metrics = new TaskMetrics(context);
            context.getManagementStrategy().addEventNotifier(metrics);
            context.addService(metrics, true, true);
            context.getRegistry().bind("taskRoutes.eventMeters", metrics);
        }
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

    private static boolean micrometerPresent() {
        try {
            Class.forName("io.micrometer.core.instrument.MeterRegistry", false, Observability.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    private static Optional<String> property(CamelContext context, String key) {
        return context.getPropertiesComponent().resolveProperty(key).filter(v -> !v.isBlank());
    }
}
