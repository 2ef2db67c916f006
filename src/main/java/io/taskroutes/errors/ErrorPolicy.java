package io.taskroutes.errors;

import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteConfigurationBuilder;
import org.apache.camel.model.RouteConfigurationDefinition;

import io.taskroutes.TaskConstants;
import io.taskroutes.kafka.StateUnavailableException;

/**
 * The one error policy, as a route configuration the dispatch route opts into: retry what {@link RetryPolicy}
 * allows with Camel redelivery, then either rethrow to the direct caller, or, for a Kafka record, hand the
 * failure to the dead-letter route (which also writes the error result and commits the offset).
 */
public final class ErrorPolicy extends RouteConfigurationBuilder {

    public static final String ID = "task-errors";
    public static final String NONE = "task-routes-no-error-handler";

    @Override
    public void configuration() {
        RouteConfigurationDefinition policy = routeConfiguration(ID);
        // the command-state store cannot be written: not the command's failure; the Kafka record stays unfinished
        // and its lane runs it again (never dead-lettered: it may have taken effect)
        policy.onException(StateUnavailableException.class)
                .maximumRedeliveries(0)
                .handled(false);
        policy.onException(Exception.class)
                    .retryWhile(method("taskRoutes.retryPolicy", "shouldRetry"))
                    .maximumRedeliveries(-1)
                    .retryAttemptedLogLevel(LoggingLevel.WARN)
                    .logStackTrace(false)
                    .logExhausted(false)
                    .handled(exchangeProperty(TaskConstants.KAFKA_ORIGIN).isNotNull())
                    .filter(exchangeProperty(TaskConstants.KAFKA_ORIGIN).isNotNull())
                        .to("direct:kafka-dead-letter")
                    .end();

        // The provider-call route must not retry on its own: its failures go up to the dispatch route, whose
        // redelivery then re-runs the whole call (fresh request, fresh auth) rather than only the failed step.
        routeConfiguration(NONE).errorHandler(noErrorHandler());
    }
}
