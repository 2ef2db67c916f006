package io.taskroutes.observability;

import java.util.Optional;

import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.support.EventNotifierSupport;

import io.taskroutes.TaskConstants;
import io.taskroutes.command.TaskCommand;

/** What the bundle's event notifiers read from Camel's exchange events: endpoints of the command path, the command. */
final class TaskEvents {

    static final String PROVIDER_CALL = "direct://provider-call";
    static final String DISPATCH = "direct://task-dispatch";

    private TaskEvents() {
    }

    static void ignoreAllButExchangeEvents(EventNotifierSupport notifier) {
        notifier.setIgnoreCamelContextEvents(true);
        notifier.setIgnoreCamelContextInitEvents(true);
        notifier.setIgnoreRouteEvents(true);
        notifier.setIgnoreServiceEvents(true);
        notifier.setIgnoreStepEvents(true);
        notifier.setIgnoreExchangeCreatedEvent(true);
        notifier.setIgnoreExchangeCompletedEvent(true);
        notifier.setIgnoreExchangeAsyncProcessingStartedEvents(true);
    }

    /** The endpoint's URI without its query. */
    static String uri(Endpoint endpoint) {
        String uri = endpoint.getEndpointUri();
        int q = uri.indexOf('?');
        return q < 0 ? uri : uri.substring(0, q);
    }

    static Optional<TaskCommand> command(Exchange exchange) {
        return Optional.ofNullable(exchange.getProperty(TaskConstants.COMMAND, TaskCommand.class));
    }
}
