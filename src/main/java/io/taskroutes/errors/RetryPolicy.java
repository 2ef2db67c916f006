package io.taskroutes.errors;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

import org.apache.camel.Exchange;

import io.taskroutes.TaskConstants;
import io.taskroutes.dispatch.ProviderRegistry;
import io.taskroutes.provider.ProviderConfig;

/**
 * Camel's {@code retryWhile} predicate for the error policy. Camel does the waiting and the redelivery; this
 * decides whether another attempt is allowed (only {@code unavailable}, within the provider's attempt budget)
 * and how long to wait: exponential backoff with jitter, never sooner than the provider's Retry-After hint,
 * capped at the maximum delay. The delay is handed to Camel through the {@code CamelRedeliveryDelay} header,
 * which the redelivery error handler reads right after this predicate, because per-provider settings and
 * Retry-After cannot be expressed in one static RedeliveryPolicy.
 */
public final class RetryPolicy {

    public static final int DEFAULT_MAX_ATTEMPTS = 5;
    public static final long DEFAULT_INITIAL_DELAY_MS = 500;
    public static final long DEFAULT_MAX_DELAY_MS = 30_000;
    private static final double JITTER = 0.2;

    private final ProviderRegistry registry;

    public RetryPolicy(ProviderRegistry registry) {
        this.registry = registry;
    }

    public boolean shouldRetry(Exchange exchange) {
        Throwable caught = exchange.getException() != null ? exchange.getException()
                : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        TaskException failure = Failures.find(caught);
        if (failure == null) {
            return false;
        }
        if (failure.isCredentialsRefreshed()) {
            exchange.getIn().setHeader(Exchange.REDELIVERY_DELAY, 0L);
            return true;
        }
        if (failure.reason() != ErrorReason.UNAVAILABLE || failure.provider() == null) {
            return false;
        }
        ProviderConfig config = registry.config(failure.provider());
        // Camel's counter (already the number of the redelivery being considered, so attempts made so far)
        // bounds the loop even if a failure happened before an attempt was counted
        int redeliveries = exchange.getIn().getHeader(Exchange.REDELIVERY_COUNTER, 0, Integer.class);
        int attempts = Math.max(exchange.getProperty(TaskConstants.ATTEMPTS, 0, Integer.class), redeliveries);
        if (attempts >= config.retrySetting("max-attempts", DEFAULT_MAX_ATTEMPTS)) {
            return false;
        }
        long delay = delayMs(attempts,
                config.retrySetting("initial-delay-ms", DEFAULT_INITIAL_DELAY_MS),
                config.retrySetting("max-delay-ms", DEFAULT_MAX_DELAY_MS),
                failure.retryAfter(),
                ThreadLocalRandom.current().nextDouble());
        exchange.getIn().setHeader(Exchange.REDELIVERY_DELAY, delay);
        return true;
    }

    /**
     * Delay before attempt {@code attemptsMade + 1}: initial × 2^(attemptsMade-1) ± 20 % jitter, at least the
     * Retry-After hint, at most {@code maxMs}. {@code random} is in [0, 1).
     */
    static long delayMs(int attemptsMade, long initialMs, long maxMs, Duration retryAfter, double random) {
        double backoff = initialMs * Math.pow(2, Math.max(0, attemptsMade - 1));
        double jittered = backoff * (1 - JITTER + 2 * JITTER * random);
        long delay = (long) Math.min(jittered, maxMs);
        if (retryAfter != null) {
            delay = Math.max(delay, Math.min(retryAfter.toMillis(), maxMs));
        }
        return delay;
    }
}
