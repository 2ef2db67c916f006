package io.taskroutes.observability;

import org.apache.camel.spi.CamelEvent;
import org.apache.camel.spi.CamelEvent.ExchangeSendingEvent;
import org.apache.camel.spi.CamelEvent.ExchangeSentEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.slf4j.MDC;

/**
 * Puts the command id, operation and provider into the logging MDC while a provider call runs (never a
 * credential), so every line logged meanwhile names its command. Needs nothing but SLF4J.
 */
public final class CommandMdc extends EventNotifierSupport {

    public static final String COMMAND_ID = "task.command-id";
    public static final String OPERATION = "task.operation";
    public static final String PROVIDER = "task.provider";

    public CommandMdc() {
        TaskEvents.ignoreAllButExchangeEvents(this);
    }

    @Override
    public boolean isEnabled(CamelEvent event) {
        return event instanceof ExchangeSendingEvent || event instanceof ExchangeSentEvent;
    }

    @Override
    public void notify(CamelEvent event) {
        if (event instanceof ExchangeSendingEvent sending) {
            if (TaskEvents.uri(sending.getEndpoint()).equals(TaskEvents.PROVIDER_CALL)) {
                TaskEvents.command(sending.getExchange()).ifPresent(c -> {
                    if (c.id() != null) {
                        MDC.put(COMMAND_ID, c.id());
                    }
                    MDC.put(OPERATION, c.operation().wireName());
                    MDC.put(PROVIDER, c.provider());
                });
            }
        } else if (TaskEvents.uri(((ExchangeSentEvent) event).getEndpoint()).equals(TaskEvents.DISPATCH)) {
            MDC.remove(COMMAND_ID);
            MDC.remove(OPERATION);
            MDC.remove(PROVIDER);
        }
    }
}
