package io.taskroutes.sandbox;

import java.io.IOException;
import java.time.Clock;
import java.util.Map;

import com.sun.net.httpserver.HttpExchange;

/**
 * One provider's simulator, found through {@link java.util.ServiceLoader}: adding a provider to the sandbox is
 * one implementation of this plus one line in {@code META-INF/services/io.taskroutes.sandbox.SimulatedProvider}.
 */
public interface SimulatedProvider {

    /** Handles one request that has been recorded and has passed the fault injection. */
    @FunctionalInterface
    interface Handler {
        void handle(HttpExchange exchange, RecordedRequest request) throws IOException;
    }

    /** The provider id, as in commands and in {@code tasks.<id>.*}. */
    String id();

    /** Called once before any request, with the sandbox's root URL {@code http://127.0.0.1:<port>}. */
    default void attach(String root) {
    }

    /**
     * The clock the simulator reads for every time it writes (creation and change dates, event times); the
     * sandbox sets it on every simulator ({@link ProviderSandbox#clock(Clock)}), so tests move time without waiting.
     * A simulator without dates ignores it.
     */
    default void clock(Clock clock) {
    }

    /**
     * Called once before any request with the sandbox's webhook sender: a simulator whose provider pushes change
     * notifications hands them to it ({@link WebhookSender#send}) where it makes the change; the others ignore it.
     */
    default void webhooks(WebhookSender sender) {
    }

    /** Path prefixes this simulator serves (e.g. {@code /pyrus/v4}), each with its handler. */
    Map<String, Handler> contexts();

    /** The {@code tasks.<id>.*} settings that point a bundle at this simulator, credentials included. */
    Map<String, String> clientProperties(String root);

    /** Answers an injected failure with {@code status} and a small JSON error body. */
    void answerFault(HttpExchange exchange, int status) throws IOException;

    /** Answers an injected 429 with {@code Retry-After: retryAfterSeconds}. */
    void answerRateLimited(HttpExchange exchange, int retryAfterSeconds) throws IOException;

    /** Back to the seeded state. */
    void reset();
}
