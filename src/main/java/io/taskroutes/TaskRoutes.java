package io.taskroutes;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import java.time.Duration;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.processor.idempotent.MemoryIdempotentRepository;
import org.apache.camel.support.PluginHelper;

import io.taskroutes.command.CommandParser;
import io.taskroutes.dispatch.CallPermits;
import io.taskroutes.dispatch.CamelAuxiliaryHttp;
import io.taskroutes.dispatch.CommandIntake;
import io.taskroutes.dispatch.ProviderCall;
import io.taskroutes.dispatch.ProviderRegistry;
import io.taskroutes.dispatch.RateLimits;
import io.taskroutes.errors.ErrorPolicy;
import io.taskroutes.errors.RetryPolicy;
import io.taskroutes.kafka.DoneCommands;
import io.taskroutes.kafka.KafkaInbound;
import io.taskroutes.kafka.KafkaOutbound;
import io.taskroutes.kafka.KeyOrderedLanes;
import io.taskroutes.kafka.LaneConsumerListener;
import io.taskroutes.observability.Observability;

/**
 * The whole bundle as one {@link org.apache.camel.RoutesBuilder}: binds the beans, adds the error policy and
 * loads the YAML wiring from {@code routes/}. The Kafka consumers are loaded only when
 * {@code tasks.kafka.enabled} is true (application.properties sets it; an embedding host that does not gets
 * only the direct: endpoints).
 */
public class TaskRoutes extends RouteBuilder {

    static final String OPERATIONS_YAML = "classpath:routes/operations.yaml";
    static final String KAFKA_YAML = "classpath:routes/kafka.yaml";

    @Override
    public void configure() throws Exception {
        CamelContext context = getCamelContext();
        CommandParser parser = new CommandParser(property(context, "tasks.default-provider").orElse(null));
        ProviderRegistry registry = new ProviderRegistry(key -> property(context, key), new CamelAuxiliaryHttp(context));
        bindBeans(context, parser, registry);
        Observability.install(context);
        context.addRoutes(new ErrorPolicy());
        List<Resource> resources = new ArrayList<>();
        resources.add(PluginHelper.getResourceLoader(context).resolveResource(OPERATIONS_YAML));
        // off unless configured: an embedding application gets the direct: endpoints only; the bundle's own
        // application.properties turns the consumers on
        if (property(context, "tasks.kafka.enabled").map(Boolean::parseBoolean).orElse(false)) {
            context.getRegistry().bind("doneCommands", DoneCommands.repository(key -> property(context, key)));
            bindLanes(context, parser, registry);
            resources.add(PluginHelper.getResourceLoader(context).resolveResource(KAFKA_YAML));
        } else {
            // direct callers are not de-duplicated (only Kafka records are); the route still names a repository
            context.getRegistry().bind("doneCommands", MemoryIdempotentRepository.memoryIdempotentRepository(1));
        }
        PluginHelper.getRoutesLoader(context).loadRoutes(resources);
    }

    private static void bindBeans(CamelContext context, CommandParser parser, ProviderRegistry registry) {
        context.getRegistry().bind("providerRegistry", registry);
        long maxCommandBytes = property(context, "tasks.max-command-bytes").map(Long::parseLong).orElse(1_048_576L);
        context.getRegistry().bind("commandIntake", new CommandIntake(parser, registry, maxCommandBytes));
        RateLimits rateLimits = new RateLimits(key -> property(context, key));
        context.getRegistry().bind("rateLimits", rateLimits);
        context.getRegistry().bind("callPermits", new CallPermits(maxInFlight(context)));
        context.getRegistry().bind("providerCall", new ProviderCall(registry, rateLimits));
        context.getRegistry().bind("retryPolicy", new RetryPolicy(registry));
        context.getRegistry().bind("kafkaInbound", new KafkaInbound());
        context.getRegistry().bind("kafkaOutbound", new KafkaOutbound());
    }

    /** Key-ordered concurrency for the Kafka consumers (issue 4): the lanes, and the hook into each consumer. */
    private static void bindLanes(CamelContext context, CommandParser parser, ProviderRegistry registry) throws Exception {
        Function<String, Integer> providerLimit =
                provider -> property(context, "tasks." + provider + ".max-in-flight").map(v -> Integer.parseInt(v.trim())).orElse(null);
        // reading a record's provider costs a JSON parse on the consumer thread: only worth it when a limit needs it
        boolean providerLimits = registry.providers().keySet().stream().anyMatch(id -> providerLimit.apply(id) != null);
        KeyOrderedLanes lanes = new KeyOrderedLanes(new KeyOrderedLanes.Settings(
                // twice the provider calls (CallPermits): the others write their results meanwhile
                2 * maxInFlight(context),
                intProperty(context, "tasks.kafka.max-buffered", 1000),
                property(context, "tasks.kafka.max-buffered-bytes").map(v -> Long.parseLong(v.trim())).orElse(67_108_864L),
                providerLimit,
                providerLimits ? parser::providerHint : value -> null,
                Duration.ofMillis(intProperty(context, "tasks.kafka.drain-timeout-ms", 20_000))));
        context.getRegistry().bind("kafkaLanes", lanes);
        context.getRegistry().bind("laneConsumerListener", new LaneConsumerListener(lanes,
                Duration.ofMillis(intProperty(context, "tasks.kafka.commit-interval-ms", 100))));
        // the pausable step wants a resume check; the listener decides pause and resume itself
        context.getRegistry().bind("lanesHaveRoom", (Predicate<Object>) ignored -> true);
        context.addService(lanes);
        context.getManagementStrategy().addEventNotifier(lanes.drainOnStop());
    }

    private static int maxInFlight(CamelContext context) {
        return intProperty(context, "tasks.kafka.max-in-flight", 64);
    }

    private static int intProperty(CamelContext context, String key, int defaultValue) {
        return property(context, key).map(v -> Integer.parseInt(v.trim())).orElse(defaultValue);
    }

    static Optional<String> property(CamelContext context, String key) {
        return context.getPropertiesComponent().resolveProperty(key);
    }
}
