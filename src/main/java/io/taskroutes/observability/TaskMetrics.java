package io.taskroutes.observability;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.spi.CamelEvent.ExchangeRedeliveryEvent;
import org.apache.camel.spi.CamelEvent.ExchangeSentEvent;
import org.apache.camel.support.EventNotifierSupport;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.taskroutes.TaskConstants;
import io.taskroutes.command.TaskCommand;
import io.taskroutes.errors.TaskException;
import io.taskroutes.kafka.KafkaOutbound;

/**
 * The bundle's own meters, read from Camel events so no route or bean has to know about them:
 * <ul>
 * <li>{@code tasks_commands_total{operation,provider,outcome}}: every command that left {@code task-dispatch},
 * outcome {@code ok} or the error reason;</li>
 * <li>{@code tasks_provider_call_seconds{provider,operation,status}}: each HTTP call to a provider (histogram),
 * status the HTTP code or {@code io_error};</li>
 * <li>{@code tasks_retries_total{provider,operation}}, {@code tasks_dead_letters_total{operation,reason}},
 * {@code tasks_commands_inflight};</li>
 * <li>{@code tasks_in_doubt_total{operation,provider,resolution}}: commands in doubt after a crash, resolution
 * {@code reconciled}, {@code sent}, {@code repeated} or {@code dead-lettered};</li>
 * <li>task events: {@code tasks_events_total{provider,type,path}} (path {@code webhook} or {@code poll}),
 * {@code tasks_webhook_rejected_total{provider,reason}} and {@code tasks_events_poll_lag_seconds{provider}} (how
 * long ago the provider's last poll succeeded).</li>
 * </ul>
 * Meters go to the application's Micrometer registry (Camel's {@code metricsRegistry}, or the one
 * {@link MeterRegistry} the host has, e.g. Spring Boot's); until there is one nothing is recorded. Only installed
 * when Micrometer is on the classpath.
 */
public final class TaskMetrics extends EventNotifierSupport implements io.taskroutes.events.EventFeeds.Meters {

    /** Bucket bounds of the provider call histogram: a handful, not Micrometer's ~70 per series. */
    static final Duration[] CALL_BUCKETS = {Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
        Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10),
        Duration.ofSeconds(30)};

    private final CamelContext context;
    /** The route that writes a failed Kafka command's dead letter (routes/kafka.yaml). */
    private static final String DEAD_LETTER_ROUTE = "direct://kafka-dead-letter";
    private volatile MeterRegistry registry;
    /** The two meters of every command, by their tag values (the registry holds them anyway). */
    private final Map<List<String>, Timer> calls = new ConcurrentHashMap<>();
    private final Map<List<String>, Counter> commands = new ConcurrentHashMap<>();

    public TaskMetrics(CamelContext context) {
        this.context = context;
        TaskEvents.ignoreAllButExchangeEvents(this);
    }

    @Override
    public boolean isEnabled(CamelEvent event) {
        return event instanceof ExchangeSentEvent || event instanceof ExchangeRedeliveryEvent;
    }

    @Override
    public void notify(CamelEvent event) {
        MeterRegistry meters = registry();
        if (meters == null) {
            return;
        }
        if (event instanceof ExchangeRedeliveryEvent redelivery) {
            Exchange exchange = redelivery.getExchange();
            Counter.builder("tasks.retries").description("provider calls repeated after an unavailable answer")
                    .tag("provider", provider(exchange)).tag("operation", operation(exchange))
                    .register(meters).increment();
            return;
        }
        ExchangeSentEvent sent = (ExchangeSentEvent) event;
        Exchange exchange = sent.getExchange();
        String uri = TaskEvents.uri(sent.getEndpoint());
        if (uri.startsWith("http://provider") || uri.startsWith("https://provider")) {
            Object code = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE);
            String status = exchange.getException() != null || code == null ? "io_error" : code.toString();
            String provider = provider(exchange);
            String operation = operation(exchange);
            // looked up per call, built once: registering (id, tags, registry lookup) costs more than recording
            calls.computeIfAbsent(List.of(provider, operation, status), k -> Timer.builder("tasks.provider.call")
                    .description("HTTP calls to providers").tag("provider", provider).tag("operation", operation).tag("status", status)
                    .serviceLevelObjectives(CALL_BUCKETS).register(meters)).record(Duration.ofMillis(sent.getTimeTaken()));
        } else if (uri.equals(TaskEvents.DISPATCH)) {
            String operation = operation(exchange);
            String provider = provider(exchange);
            String outcome = outcome(exchange);
            commands.computeIfAbsent(List.of(operation, provider, outcome), k -> Counter.builder("tasks.commands")
                    .description("commands by operation, provider and outcome").tag("operation", operation)
                    .tag("provider", provider).tag("outcome", outcome).register(meters)).increment();
            String resolution = exchange.getProperty(TaskConstants.RESOLUTION, String.class);
            if (resolution != null) {
                Counter.builder("tasks.in.doubt").description("commands in doubt after a crash, by how they were resolved")
                        .tag("operation", operation(exchange)).tag("provider", provider(exchange))
                        .tag("resolution", resolution).register(meters).increment();
            }
        } else if (uri.equals(DEAD_LETTER_ROUTE)) {
            String reason = exchange.getProperty(KafkaOutbound.DEAD_LETTER_REASON, String.class);
            if (reason == null) {
                return;
            }
            Counter deadLetters = Counter.builder("tasks.dead.letters").description("records written to the dead-letter topic")
                    .tag("operation", operation(exchange)).tag("reason", reason).register(meters);
            // counted once the broker has it: a write that fails is retried by the lane and counted then
            CompletableFuture<Void> written = KafkaOutbound.pending(exchange);
            if (written == null) {
                deadLetters.increment();
            } else {
                written.thenRun(deadLetters::increment);
            }
        }
    }

    private MeterRegistry registry() {
        MeterRegistry found = registry;
        if (found == null) {
            found = findRegistry(context);
            if (found != null) {
                Gauge.builder("tasks.commands.inflight", context, c -> c.getInflightRepository().size("task-dispatch"))
                        .description("commands being processed now").register(found);
                registry = found;
            }
        }
        return found;
    }

    /**
     * Camel's own ({@code camel.metrics.*}), else the application's only registry, else, where a host has several
     * (Spring Boot with more than one backend), the composite that feeds them all.
     */
    static MeterRegistry findRegistry(CamelContext context) {
        MeterRegistry named = context.getRegistry().lookupByNameAndType("metricsRegistry", MeterRegistry.class);
        if (named != null) {
            return named;
        }
        Set<MeterRegistry> all = context.getRegistry().findByType(MeterRegistry.class);
        if (all.size() == 1) {
            return all.iterator().next();
        }
        List<MeterRegistry> composites = all.stream().filter(CompositeMeterRegistry.class::isInstance).toList();
        return composites.size() == 1 ? composites.get(0) : null;
    }

    /** The failure the command ended with: thrown (direct), or handled by the error policy (Kafka). */
    private static Optional<TaskException> failure(Exchange exchange) {
        Throwable e = exchange.getException();
        if (e == null && exchange.getExchangeExtension().isFailureHandled()) {
            // a redelivery that finally succeeded also leaves EXCEPTION_CAUGHT behind: only a handled failure counts
            e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        }
        while (e != null && !(e instanceof TaskException)) {
            e = e.getCause();
        }
        return Optional.ofNullable((TaskException) e);
    }

    static String provider(Exchange exchange) {
        String provider = TaskEvents.command(exchange).map(TaskCommand::provider)
                .or(() -> failure(exchange).map(TaskException::provider))
                .orElse("none");
        // the provider comes from the command: an id we do not know must not become a new time series
        io.taskroutes.dispatch.ProviderRegistry known = exchange.getContext().getRegistry()
                .lookupByNameAndType("taskRoutes.providerRegistry", io.taskroutes.dispatch.ProviderRegistry.class);
        return provider.equals("none") || known == null || known.providers().containsKey(provider) ? provider : "unknown";
    }

    static String operation(Exchange exchange) {
        return TaskEvents.command(exchange).map(c -> c.operation().wireName())
                .or(() -> Optional.ofNullable(exchange.getProperty(TaskConstants.OPERATION, String.class)))
                .orElse("none");
    }

    private static String outcome(Exchange exchange) {
        Optional<TaskException> failure = failure(exchange);
        if (failure.isPresent()) {
            return failure.get().reason().wireName();
        }
        return exchange.getException() != null || exchange.getExchangeExtension().isFailureHandled() ? "error" : "ok";
    }

    /** When each provider's last poll succeeded (epoch millis), read by its lag gauge. */
    private final Map<String, java.util.concurrent.atomic.AtomicLong> lastPolls = new ConcurrentHashMap<>();

    @Override
    public void published(String provider, io.taskroutes.events.EventType type, String path) {
        MeterRegistry meters = registry();
        if (meters != null) {
            Counter.builder("tasks.events").description("task events published, by provider, type and how they were seen")
                    .tag("provider", provider).tag("type", type.wireName()).tag("path", path).register(meters).increment();
        }
    }

    @Override
    public void rejected(String provider, String reason) {
        MeterRegistry meters = registry();
        if (meters != null) {
            Counter.builder("tasks.webhook.rejected").description("webhook requests refused, by provider and reason")
                    .tag("provider", provider).tag("reason", reason).register(meters).increment();
        }
    }

    @Override
    public void polled(String provider, java.time.Instant at) {
        MeterRegistry meters = registry();
        java.util.concurrent.atomic.AtomicLong last = lastPolls.computeIfAbsent(provider, p -> {
            java.util.concurrent.atomic.AtomicLong created = new java.util.concurrent.atomic.AtomicLong();
            if (meters != null) {
                Gauge.builder("tasks.events.poll.lag", created, l -> (System.currentTimeMillis() - l.get()) / 1000.0)
                        .description("seconds since the provider's last successful poll").baseUnit("seconds")
                        .tag("provider", p).register(meters);
            }
            return created;
        });
        last.set(at.toEpochMilli());
    }
}
