package io.taskroutes;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Function;
import java.util.function.Predicate;

import org.apache.camel.CamelContext;
import org.apache.camel.Processor;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.kafka.KafkaComponent;
import org.apache.camel.component.kafka.KafkaConfiguration;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.util.TimeUtils;
import org.apache.kafka.clients.CommonClientConfigs;

import io.taskroutes.command.CommandParser;
import io.taskroutes.dispatch.CallPermits;
import io.taskroutes.dispatch.CamelAuxiliaryHttp;
import io.taskroutes.dispatch.CommandIntake;
import io.taskroutes.dispatch.CommandLedger;
import io.taskroutes.dispatch.ProviderCall;
import io.taskroutes.dispatch.ProviderHttpClient;
import io.taskroutes.dispatch.ProviderRegistry;
import io.taskroutes.dispatch.RateLimits;
import io.taskroutes.errors.ErrorPolicy;
import io.taskroutes.errors.RetryPolicy;
import io.taskroutes.kafka.CommandStates;
import io.taskroutes.kafka.KafkaInbound;
import io.taskroutes.kafka.KafkaOutbound;
import io.taskroutes.kafka.KafkaWrites;
import io.taskroutes.kafka.KeyOrderedLanes;
import io.taskroutes.kafka.LaneConsumerListener;
import io.taskroutes.observability.Observability;

/**
 * The whole bundle as one {@link org.apache.camel.RoutesBuilder}, and all a host adds: checks the host's Camel
 * version, fills in the defaults of the {@code tasks.*} keys the host does not set, binds the beans, adds the
 * error policy and loads the YAML wiring from {@code routes/}. The Kafka consumers are loaded only when
 * {@code tasks.kafka.enabled} is true (the application sets it; an embedding host that does not gets only the
 * direct: endpoints).
 */
public class TaskRoutes extends RouteBuilder {

    static final String OPERATIONS_YAML = "classpath:routes/operations.yaml";
    static final String KAFKA_YAML = "classpath:routes/kafka.yaml";
    static final String EVENTS_YAML = "classpath:routes/events.yaml";

    @Override
    public void configure() throws Exception {
        CamelContext context = getCamelContext();
        // first, before any Camel API the host's version might lack
        if (property(context, "tasks.camel-version-check").map(Boolean::parseBoolean).orElse(true)) {
            SupportedCamel.check(context.getVersion());
        }
        TaskDefaults.applyTo(context);
        sensitiveKeys(context);
        CommandParser parser = new CommandParser(property(context, "tasks.default-provider").orElse(null));
        ProviderRegistry registry = new ProviderRegistry(key -> property(context, key), new CamelAuxiliaryHttp(context));
        bindBeans(context, parser, registry);
        Observability.install(context);
        context.addRoutes(new ErrorPolicy());
        List<Resource> resources = new ArrayList<>();
        resources.add(PluginHelper.getResourceLoader(context).resolveResource(OPERATIONS_YAML));
        // off unless configured: an embedding application gets the direct: endpoints only; the application's
        // application.properties turns the consumers on
        if (property(context, "tasks.kafka.enabled").map(Boolean::parseBoolean).orElse(false)) {
            if (property(context, "tasks.kafka.brokers").filter(b -> !b.isBlank()).isEmpty()) {
                throw new IllegalStateException("tasks.kafka.brokers (environment TASKS_KAFKA_BROKERS) is required when"
                        + " tasks.kafka.enabled=true; set tasks.kafka.enabled=false for the direct: endpoints only");
            }
            CommandStates states = commandStates(context);
            bindLedger(context, new CommandLedger(states, registry));
            bindLanes(context, parser, registry, states);
            resources.add(PluginHelper.getResourceLoader(context).resolveResource(KAFKA_YAML));
        } else {
            // direct callers are not tracked (only Kafka records are); the route still asks the ledger
            bindLedger(context, new CommandLedger(null, registry));
        }
        List<String[]> eventRoutes = TaskEventsSetup.configure(context, registry);
        if (!eventRoutes.isEmpty()) {
            resources.add(PluginHelper.getResourceLoader(context).resolveResource(EVENTS_YAML));
        }
        PluginHelper.getRoutesLoader(context).loadRoutes(resources);
        TaskEventsSetup.addRoutes(context, eventRoutes);
    }

    /**
     * Camel masks the values of keys it knows to be secret wherever it prints configuration (Camel Main's summary of
     * the properties used at start-up); these of the bundle it does not know (tokens, logins and api-keys it does).
     */
    static final String SENSITIVE_KEYWORDS = "securitykey,webhookuser,webhookpassword,webhooksecret";

    private static void sensitiveKeys(CamelContext context) {
        String host = context.getCamelContextExtension().getAdditionalSensitiveKeywords();
        context.getCamelContextExtension().setAdditionalSensitiveKeywords(
                host == null || host.isBlank() ? SENSITIVE_KEYWORDS : host + "," + SENSITIVE_KEYWORDS);
    }

    private static void bindBeans(CamelContext context, CommandParser parser, ProviderRegistry registry) {
        context.getRegistry().bind("taskRoutes.providerRegistry", registry);
        long maxCommandBytes = longSetting(context, "tasks.max-command-bytes");
        CommandIntake intake = new CommandIntake(parser, registry, maxCommandBytes);
        context.getRegistry().bind("taskRoutes.commandIntake", intake);
        step(context, "taskRoutes.commandIntake.accept", intake::accept);
        RateLimits rateLimits = new RateLimits(key -> property(context, key));
        context.getRegistry().bind("taskRoutes.rateLimits", rateLimits);
        step(context, "taskRoutes.rateLimits.acquire", rateLimits::acquire);
        CallPermits permits = new CallPermits(maxInFlight(context));
        context.getRegistry().bind("taskRoutes.callPermits", permits);
        step(context, "taskRoutes.callPermits.acquire", permits::acquire);
        step(context, "taskRoutes.callPermits.release", permits::release);
        ProviderCall call = new ProviderCall(registry, rateLimits);
        context.getRegistry().bind("taskRoutes.providerCall", call);
        step(context, "taskRoutes.providerCall.prepare", call::prepare);
        step(context, "taskRoutes.providerCall.handle", call::handle);
        step(context, "taskRoutes.providerCall.transportFailure", call::transportFailure);
        context.getRegistry().bind("taskRoutes.providerHttpClient", new ProviderHttpClient());
        context.getRegistry().bind("taskRoutes.retryPolicy", new RetryPolicy(registry));
        KafkaInbound inbound = new KafkaInbound();
        context.getRegistry().bind("taskRoutes.kafkaInbound", inbound);
        step(context, "taskRoutes.kafkaInbound.capture", inbound::capture);
    }

    /**
     * A route step ({@code process: ref: <name>}) bound as a plain Processor: a {@code bean:} step would pick its
     * method and bind its parameters on every call, ten times per command (profiled: ~5 % of the bundle's CPU).
     */
    private static void step(CamelContext context, String name, Processor step) {
        context.getRegistry().bind(name, step);
    }

    private static void bindLedger(CamelContext context, CommandLedger ledger) {
        context.getRegistry().bind("taskRoutes.commandLedger", ledger);
        step(context, "taskRoutes.commandLedger.begin", ledger::begin);
        step(context, "taskRoutes.commandLedger.duplicate", ledger::duplicate);
        step(context, "taskRoutes.commandLedger.done", ledger::done);
        step(context, "taskRoutes.commandLedger.failed", ledger::failed);
    }

    /**
     * The bundle's writes (command states, results, dead letters; one producer) and the command-state store: their
     * Kafka clients start from the kafka component's configuration (security and client settings of the host),
     * pointed at {@code tasks.kafka.brokers}.
     */
    private static CommandStates commandStates(CamelContext context) throws Exception {
        KafkaConfiguration kafka = context.getComponent("kafka", KafkaComponent.class).getConfiguration().copy();
        String brokers = property(context, "tasks.kafka.brokers").orElseThrow();
        Properties producer = kafka.createProducerProperties();
        Properties consumer = kafka.createConsumerProperties();
        producer.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, brokers);
        consumer.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, brokers);
        KafkaWrites writes = new KafkaWrites(context, new KafkaWrites.Settings(producer,
                (int) longSetting(context, "tasks.kafka.producer-batch-size"), (int) longSetting(context, "tasks.kafka.linger-ms"),
                (int) longSetting(context, "tasks.kafka.max-request-size")));
        context.addService(writes, true, true);
        CommandStates states = new CommandStates(new CommandStates.Settings(
                property(context, "tasks.kafka.state-topic-suffix").orElseThrow(),
                Duration.ofMillis(TimeUtils.toMilliSeconds(property(context, "tasks.kafka.dedup-window").orElseThrow())),
                (int) longSetting(context, "tasks.kafka.dedup-max-ids"), consumer), writes);
        context.getRegistry().bind("taskRoutes.commandStates", states);
        context.addService(states, true, true);
        KafkaOutbound outbound = new KafkaOutbound(writes,
                property(context, "tasks.kafka.result-topic").orElseThrow(), property(context, "tasks.kafka.dlq-topic").orElseThrow());
        context.getRegistry().bind("taskRoutes.kafkaOutbound", outbound);
        step(context, "taskRoutes.kafkaOutbound.result", outbound::result);
        step(context, "taskRoutes.kafkaOutbound.deadLetter", outbound::deadLetter);
        step(context, "taskRoutes.kafkaOutbound.errorResult", outbound::errorResult);
        return states;
    }

    /** Key-ordered concurrency for the Kafka consumers (issue 4): the lanes, and the hook into each consumer. */
    private static void bindLanes(CamelContext context, CommandParser parser, ProviderRegistry registry, CommandStates states)
            throws Exception {
        Function<String, Integer> providerLimit =
                provider -> property(context, "tasks." + provider + ".max-in-flight").map(v -> Integer.parseInt(v.trim())).orElse(null);
        // reading a record's provider costs a JSON parse on the consumer thread: only worth it when a limit needs it
        boolean providerLimits = registry.providers().keySet().stream().anyMatch(id -> providerLimit.apply(id) != null);
        KeyOrderedLanes lanes = new KeyOrderedLanes(new KeyOrderedLanes.Settings(
                // twice the provider calls (CallPermits): the others write their results meanwhile
                2 * maxInFlight(context),
                // a thread for each call on the wire, and a few for commands between calls (parsing, the intent write)
                maxInFlight(context) + Math.max(8, maxInFlight(context) / 4),
                (int) longSetting(context, "tasks.kafka.max-buffered"),
                longSetting(context, "tasks.kafka.max-buffered-bytes"),
                providerLimit,
                providerLimits ? parser::providerHint : value -> null,
                Duration.ofMillis(longSetting(context, "tasks.kafka.drain-timeout-ms"))));
        context.getRegistry().bind("taskRoutes.kafkaLanes", lanes);
        step(context, "taskRoutes.kafkaLanes.accept", lanes::accept);
        context.getRegistry().bind("taskRoutes.laneConsumerListener", new LaneConsumerListener(lanes, states,
                Duration.ofMillis(longSetting(context, "tasks.kafka.commit-interval-ms"))));
        // the pausable step wants a resume check; the listener decides pause and resume itself
        context.getRegistry().bind("taskRoutes.lanesHaveRoom", (Predicate<Object>) ignored -> true);
        context.addService(lanes);
        context.getManagementStrategy().addEventNotifier(lanes.drainOnStop());
    }

    private static int maxInFlight(CamelContext context) {
        return (int) longSetting(context, "tasks.kafka.max-in-flight");
    }

    /** A numeric key; always resolves, from the host's configuration or {@link TaskDefaults}. */
    private static long longSetting(CamelContext context, String key) {
        return Long.parseLong(property(context, key).orElseThrow(() -> new IllegalStateException(key + " is not set")).trim());
    }

    static Optional<String> property(CamelContext context, String key) {
        return context.getPropertiesComponent().resolveProperty(key);
    }
}
