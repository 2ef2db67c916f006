package io.taskroutes.dispatch;

import java.time.Instant;
import java.util.Optional;

import org.apache.camel.Exchange;

import io.taskroutes.TaskConstants;
import io.taskroutes.command.Json;
import io.taskroutes.command.TaskCommand;
import io.taskroutes.command.TaskResult;
import io.taskroutes.errors.ErrorReason;
import io.taskroutes.errors.TaskException;
import io.taskroutes.provider.EffectCheck;
import io.taskroutes.provider.HttpRequestSpec;
import io.taskroutes.provider.HttpResponseView;
import io.taskroutes.provider.ProviderAdapter;
import io.taskroutes.provider.ProviderErrors;

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
                String read = exchange.getProperty(TaskConstants.READ, String.class);
                request = read != null ? HttpRequestSpec.of("GET").path(read).build()
                        : lookupRound(exchange, command, adapter).orElseGet(() -> adapter.request(command));
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
        if (exchange.getProperty(TaskConstants.READ) != null) {
            // a read for task events: the provider's answer as it is, or its error classified like a command's
            if (!response.isSuccess()) {
                TaskException e = ProviderErrors.fromStatus(command.provider(), response, null);
                throttleOn429(command, response, e);
                throw complete(e, command);
            }
            finish(exchange, TaskResult.of(command).raw(response.json()));
            return;
        }
        if (exchange.getProperty(TaskConstants.LOOKUP, false, Boolean.class)) {
            lookedUp(exchange, command, adapter, response);
            return;
        }
        TaskResult result;
        try {
            result = adapter.response(command, response);
        } catch (TaskException e) {
            throttleOn429(command, response, e);
            Optional<EffectCheck> check = adapter.effectCheck(command);
            if (check.isEmpty() || !check.get().tookEffect(command, e, inDoubt(exchange))) {
                throw complete(e, command);
            }
            if (check.get().lookup(command).isPresent() && !exchange.getProperty(TaskConstants.LOOKED_UP, false, Boolean.class)) {
                // the answer says it exists; the lookup finds it (a Tracker create answered 409 for its unique)
                exchange.setProperty(TaskConstants.LOOKUP, true);
                return;
            }
            reconciled(exchange, TaskResult.of(command));
            return;
        }
        if (inDoubt(exchange) && exchange.getProperty(TaskConstants.RESOLUTION) == null) {
            exchange.setProperty(TaskConstants.RESOLUTION, "sent");
        }
        Pages pages = exchange.getProperty(TaskConstants.PAGES, Pages.class);
        if (!command.allPages()) {
            finish(exchange, result);
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
            finish(exchange, pages.merged());
        }
    }

    /**
     * The effect check's lookup, when this round is one: the first round of an in-doubt command, or the round after
     * an answer that shows the effect exists ({@link EffectCheck#tookEffect}); a lookup runs once per command.
     */
    private static Optional<HttpRequestSpec> lookupRound(Exchange exchange, TaskCommand command, ProviderAdapter adapter) {
        boolean lookedUp = exchange.getProperty(TaskConstants.LOOKED_UP, false, Boolean.class);
        if (lookedUp || !(inDoubt(exchange) || exchange.getProperty(TaskConstants.LOOKUP, false, Boolean.class))) {
            return Optional.empty();
        }
        Optional<HttpRequestSpec> lookup = adapter.effectCheck(command).flatMap(check -> check.lookup(command));
        exchange.setProperty(TaskConstants.LOOKUP, lookup.isPresent());
        return lookup;
    }

    /** The effect check's answer: the earlier effect found ends the call; otherwise the next round sends the command. */
    private void lookedUp(Exchange exchange, TaskCommand command, ProviderAdapter adapter, HttpResponseView response) {
        EffectCheck check = adapter.effectCheck(command).orElseThrow();
        Optional<TaskResult> found;
        try {
            found = check.found(command, response, exchange.getProperty(TaskConstants.IN_DOUBT_SINCE, Instant.class));
        } catch (TaskException e) {
            throttleOn429(command, response, e);
            throw complete(e, command);
        }
        exchange.setProperty(TaskConstants.LOOKUP, false);
        exchange.setProperty(TaskConstants.LOOKED_UP, true);
        // the command's own round has its own retry budget
        exchange.setProperty(TaskConstants.ATTEMPTS, 0);
        found.ifPresent(result -> reconciled(exchange, result));
    }

    private void throttleOn429(TaskCommand command, HttpResponseView response, TaskException e) {
        if (response.status() == 429) {
            // the whole instance backs off this provider, not only the call that will be retried
            rateLimits.throttled(command.provider(), e.retryAfter());
        }
    }

    private static void reconciled(Exchange exchange, TaskResult result) {
        exchange.setProperty(TaskConstants.RESOLUTION, "reconciled");
        finish(exchange, result);
    }

    private static void finish(Exchange exchange, TaskResult result) {
        String resolution = exchange.getProperty(TaskConstants.RESOLUTION, String.class);
        if (resolution != null) {
            result.inDoubt = true;
            result.resolution = resolution;
        }
        exchange.setProperty(TaskConstants.CALL_DONE, true);
        exchange.getMessage().setBody(Json.write(result));
    }

    private static boolean inDoubt(Exchange exchange) {
        return exchange.getProperty(TaskConstants.IN_DOUBT_SINCE) != null;
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
