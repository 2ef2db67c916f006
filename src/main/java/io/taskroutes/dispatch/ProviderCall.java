package io.taskroutes.dispatch;

import org.apache.camel.Exchange;

import io.taskroutes.TaskConstants;
import io.taskroutes.command.Json;
import io.taskroutes.command.TaskCommand;
import io.taskroutes.command.TaskResult;
import io.taskroutes.errors.ErrorReason;
import io.taskroutes.errors.TaskException;
import io.taskroutes.provider.HttpRequestSpec;
import io.taskroutes.provider.HttpResponseView;
import io.taskroutes.provider.ProviderAdapter;

/**
 * The steps around the one camel-http call of the {@code provider-call} route. Each redelivery runs the whole
 * route again, so the request is rebuilt from the command every attempt.
 */
public final class ProviderCall {

    private final ProviderRegistry registry;

    public ProviderCall(ProviderRegistry registry) {
        this.registry = registry;
    }

    public void prepare(Exchange exchange) {
        TaskCommand command = command(exchange);
        ProviderAdapter adapter = registry.adapterFor(command);
        HttpRequestSpec request;
        try {
            request = adapter.request(command);
            // counted before signing: a failed token exchange is an attempt to reach the provider too
            exchange.setProperty(TaskConstants.ATTEMPTS, attempts(exchange) + 1);
            request = adapter.auth().sign(request);
        } catch (TaskException e) {
            throw complete(e, command);
        }
        HttpMessages.write(exchange.getMessage(), adapter.baseUrl(), request);
    }

    public void handle(Exchange exchange) {
        TaskCommand command = command(exchange);
        ProviderAdapter adapter = registry.adapterFor(command);
        HttpResponseView response = HttpMessages.read(exchange.getMessage());
        // provider response headers (and our own request headers, copied back by camel-http) stop here
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setBody(null);
        if (response.status() == 401 && !exchange.getProperty(TaskConstants.AUTH_REFRESHED, false, Boolean.class)
                && adapter.auth().refresh()) {
            exchange.setProperty(TaskConstants.AUTH_REFRESHED, true);
            throw TaskException.credentialsRefreshed(command.provider(), 401, command.provider() + " answered 401; retrying once with fresh credentials");
        }
        try {
            TaskResult result = adapter.response(command, response);
            exchange.getMessage().setBody(Json.write(result));
        } catch (TaskException e) {
            throw complete(e, command);
        }
    }

    /** camel-http threw (connection refused or dropped, timeout): the provider is unavailable for now. */
    public void transportFailure(Exchange exchange) {
        TaskCommand command = command(exchange);
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setBody(null);
        String detail = cause == null ? "unknown error" : cause.getClass().getSimpleName() + ": " + cause.getMessage();
        throw complete(new TaskException(ErrorReason.UNAVAILABLE, command.provider() + " could not be reached: " + detail, cause), command);
    }

    private static TaskException complete(TaskException e, TaskCommand command) {
        if (e.provider() == null) {
            e.withProvider(command.provider());
        }
        if (e.operation() == null) {
            e.withOperation(command.operation().wireName());
        }
        return e;
    }

    static int attempts(Exchange exchange) {
        return exchange.getProperty(TaskConstants.ATTEMPTS, 0, Integer.class);
    }

    private static TaskCommand command(Exchange exchange) {
        return exchange.getProperty(TaskConstants.COMMAND, TaskCommand.class);
    }
}
