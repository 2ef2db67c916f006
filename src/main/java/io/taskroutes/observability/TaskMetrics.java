package io.taskroutes.observability;

import java.time.Duration;
import java.util.Optional;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.spi.CamelEvent.ExchangeRedeliveryEvent;
import org.apache.camel.spi.CamelEvent.ExchangeSendingEvent;
import org.apache.camel.spi.CamelEvent.ExchangeSentEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.slf4j.MDC;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.taskroutes.TaskConstants;
import io.taskroutes.command.TaskCommand;
import io.taskroutes.errors.TaskException;

/**
 * The bundle's own meters, read from Camel events so no route or bean has to know about them:
 * <ul>
 * <li>{@code tasks_commands_total{operation,provider,outcome}}: every command that left {@code task-dispatch},
 * outcome {@code ok} or the error reason;</li>
 * <li>{@code tasks_provider_call_seconds{provider,operation,status}}: each HTTP call to a provider (histogram),
 * status the HTTP code or {@code io_error};</li>
 * <li>{@code tasks_retries_total{provider,operation}}, {@code tasks_dead_letters_total{operation,reason}},
 * {@code tasks_commands_inflight}.</li>
 * </ul>
 * Meters go to the Micrometer registry Camel's metrics set up ({@code camel.metrics.enabled}); without one
 * (e.g. embedded in a host without metrics) nothing is recorded. It also puts the command id, operation and
 * provider into the logging MDC while a provider call runs (never a credential).
 */
public final class TaskMetrics extends EventNotifierSupport {

    public static final String MDC_COMMAND_ID = "task.command-id";
    public static final String MDC_OPERATION = "task.operation";
    public static final String MDC_PROVIDER = "task.provider";

    private final CamelContext context;
    private final String dlqTopic;
    private volatile MeterRegistry registry;

    public TaskMetrics(CamelContext context) {
        this.context = context;
        this.dlqTopic = context.getPropertiesComponent().resolveProperty("tasks.kafka.dlq-topic").orElse("task.dlq");
        setIgnoreCamelContextEvents(true);
        setIgnoreCamelContextInitEvents(true);
        setIgnoreRouteEvents(true);
        setIgnoreServiceEvents(true);
        setIgnoreStepEvents(true);
        setIgnoreExchangeCreatedEvent(true);
        setIgnoreExchangeCompletedEvent(true);
        setIgnoreExchangeAsyncProcessingStartedEvents(true);
    }

    @Override
    public boolean isEnabled(CamelEvent event) {
        return event instanceof ExchangeSentEvent || event instanceof ExchangeRedeliveryEvent || event instanceof ExchangeSendingEvent;
    }

    @Override
    public void notify(CamelEvent event) {
        if (event instanceof ExchangeSendingEvent sending) {
            if (uri(sending.getEndpoint().getEndpointUri()).equals("direct://provider-call")) {
                putMdc(sending.getExchange());
            }
            return;
        }
        MeterRegistry meters = registry();
        if (event instanceof ExchangeRedeliveryEvent redelivery) {
            if (meters != null) {
                Exchange exchange = redelivery.getExchange();
                Counter.builder("tasks.retries").description("provider calls repeated after an unavailable answer")
                        .tag("provider", provider(exchange)).tag("operation", operation(exchange))
                        .register(meters).increment();
            }
            return;
        }
        ExchangeSentEvent sent = (ExchangeSentEvent) event;
        Exchange exchange = sent.getExchange();
        String uri = uri(sent.getEndpoint().getEndpointUri());
        if (uri.startsWith("http://provider") || uri.startsWith("https://provider")) {
            if (meters != null) {
                Object code = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE);
                String status = exchange.getException() != null || code == null ? "io_error" : code.toString();
                Timer.builder("tasks.provider.call").description("HTTP calls to providers")
                        .tag("provider", provider(exchange)).tag("operation", operation(exchange)).tag("status", status)
                        .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
                        .maximumExpectedValue(Duration.ofSeconds(60))
                        .register(meters).record(Duration.ofMillis(sent.getTimeTaken()));
            }
        } else if (uri.equals("direct://task-dispatch")) {
            if (meters != null) {
                Counter.builder("tasks.commands").description("commands by operation, provider and outcome")
                        .tag("operation", operation(exchange)).tag("provider", provider(exchange))
                        .tag("outcome", outcome(exchange)).register(meters).increment();
            }
            clearMdc();
        } else if (uri.equals("kafka://" + dlqTopic)) {
            if (meters != null) {
                Object reason = exchange.getMessage().getHeader(TaskConstants.H_ERROR_REASON);
                Counter.builder("tasks.dead.letters").description("records written to the dead-letter topic")
                        .tag("operation", operation(exchange))
                        .tag("reason", reason == null ? "unknown" : context.getTypeConverter().convertTo(String.class, reason))
                        .register(meters).increment();
            }
        }
    }

    private MeterRegistry registry() {
        MeterRegistry found = registry;
        if (found == null) {
            found = context.getRegistry().lookupByNameAndType("metricsRegistry", MeterRegistry.class);
            if (found == null) {
                found = context.getRegistry().findSingleByType(MeterRegistry.class);
            }
            if (found != null) {
                Gauge.builder("tasks.commands.inflight", context, c -> c.getInflightRepository().size("task-dispatch"))
                        .description("commands being processed now").register(found);
                registry = found;
            }
        }
        return found;
    }

    private static String uri(String endpointUri) {
        int q = endpointUri.indexOf('?');
        return q < 0 ? endpointUri : endpointUri.substring(0, q);
    }

    private static Optional<TaskCommand> command(Exchange exchange) {
        return Optional.ofNullable(exchange.getProperty(TaskConstants.COMMAND, TaskCommand.class));
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
        String provider = command(exchange).map(TaskCommand::provider)
                .or(() -> failure(exchange).map(TaskException::provider))
                .orElse("none");
        // the provider comes from the command: an id we do not know must not become a new time series
        io.taskroutes.dispatch.ProviderRegistry known = exchange.getContext().getRegistry()
                .lookupByNameAndType("providerRegistry", io.taskroutes.dispatch.ProviderRegistry.class);
        return provider.equals("none") || known == null || known.providers().containsKey(provider) ? provider : "unknown";
    }

    static String operation(Exchange exchange) {
        return command(exchange).map(c -> c.operation().wireName())
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

    private static void putMdc(Exchange exchange) {
        command(exchange).ifPresent(c -> {
            if (c.id() != null) {
                MDC.put(MDC_COMMAND_ID, c.id());
            }
            MDC.put(MDC_OPERATION, c.operation().wireName());
            MDC.put(MDC_PROVIDER, c.provider());
        });
    }

    private static void clearMdc() {
        MDC.remove(MDC_COMMAND_ID);
        MDC.remove(MDC_OPERATION);
        MDC.remove(MDC_PROVIDER);
    }
}
