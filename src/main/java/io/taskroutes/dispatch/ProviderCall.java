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

    /** Default cap on pages one {@code allPages} list may walk, against a server whose pagination never ends. */
    public static final long DEFAULT_MAX_PAGES = 100;

    private final ProviderRegistry registry;
    private final RateLimits rateLimits;

    public ProviderCall(ProviderRegistry registry, RateLimits rateLimits) {
        this.registry = registry;
        this.rateLimits = rateLimits;
    }

    public void prepare(Exchange exchange) {
        TaskCommand command = command(exchange);
        ProviderAdapter adapter = registry.adapterFor(command);
        HttpRequestSpec request = exchange.getProperty(TaskConstants.NEXT_PAGE, HttpRequestSpec.class);
        try {
            if (request == null) {
                request = adapter.request(command);
            }
            // counted before signing: a failed token exchange is an attempt to reach the provider too
            exchange.setProperty(TaskConstants.ATTEMPTS, attempts(exchange) + 1);
            exchange.setProperty(TaskConstants.CALLS, exchange.getProperty(TaskConstants.CALLS, 0, Integer.class) + 1);
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
        TaskResult result;
        try {
            result = adapter.response(command, response);
        } catch (TaskException e) {
            if (response.status() == 429) {
                // the whole instance backs off this provider, not only the call that will be retried
                rateLimits.throttled(command.provider(), e.retryAfter());
            }
            throw complete(e, command);
        }
        Pages pages = exchange.getProperty(TaskConstants.PAGES, Pages.class);
        if (!command.allPages()) {
            exchange.setProperty(TaskConstants.CALL_DONE, true);
            exchange.getMessage().setBody(Json.write(result));
            return;
        }
        if (pages == null) {
            pages = new Pages();
            exchange.setProperty(TaskConstants.PAGES, pages);
        }
        pages.add(result);
        // the retry budget is per request: the next page starts with a full one
        exchange.setProperty(TaskConstants.ATTEMPTS, 0);
        long maxPages = registry.config(command.provider()).setting("list.max-pages", DEFAULT_MAX_PAGES);
        HttpRequestSpec next = adapter.nextPage(command, response, pages.count()).orElse(null);
        if (next != null && pages.count() >= maxPages) {
            pages.truncated();
            next = null;
        }
        exchange.setProperty(TaskConstants.NEXT_PAGE, next);
        if (next == null) {
            exchange.setProperty(TaskConstants.CALL_DONE, true);
            exchange.getMessage().setBody(Json.write(pages.merged()));
        }
    }

    /** The loop condition of the provider-call route: another round until the answer (or last page) is in. */
    public boolean morePages(Exchange exchange) {
        return !exchange.getProperty(TaskConstants.CALL_DONE, false, Boolean.class);
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
