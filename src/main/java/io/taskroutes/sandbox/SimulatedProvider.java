package io.taskroutes.sandbox;

import java.io.IOException;

import com.sun.net.httpserver.HttpExchange;

/** What the sandbox needs from a simulator besides its request handlers: fault answers in its dialect. */
interface SimulatedProvider {

    /** Answers an injected failure with {@code status} and a small JSON error body. */
    void answerFault(HttpExchange exchange, int status) throws IOException;

    /** Answers an injected 429 with {@code Retry-After: retryAfterSeconds}. */
    void answerRateLimited(HttpExchange exchange, int retryAfterSeconds) throws IOException;

    /** Back to the seeded state. */
    void reset();
}
