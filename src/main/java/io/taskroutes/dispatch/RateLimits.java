package io.taskroutes.dispatch;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.taskroutes.TaskConstants;
import io.taskroutes.command.TaskCommand;

/**
 * One request budget per provider, shared by every operation and every caller in the instance. The steady
 * rate is a Resilience4j {@link RateLimiter} ({@code tasks.<provider>.rate-limit.rate} requests per second,
 * {@code burst} at once); a 429 holds every call to that provider until the provider's reset hint has passed
 * and halves the rate, which then grows back by a tenth per quiet refresh period. Without a configured rate
 * only the 429 hold applies.
 */
public final class RateLimits {

    private static final Logger LOG = LoggerFactory.getLogger(RateLimits.class);
    /** Hold after a 429 that carried no Retry-After / reset hint. */
    static final Duration DEFAULT_HOLD = Duration.ofSeconds(1);

    private final Function<String, Optional<String>> properties;
    private final Map<String, Budget> budgets = new ConcurrentHashMap<>();

    public RateLimits(Function<String, Optional<String>> properties) {
        this.properties = properties;
    }

    /** Route step before each provider request (every page and every retry): waits for the provider's budget. */
    public void acquire(Exchange exchange) {
        TaskCommand command = exchange.getProperty(TaskConstants.COMMAND, TaskCommand.class);
        if (command != null && command.provider() != null) {
            acquireFor(command.provider());
        }
    }

    /** Waits for one request of the provider's budget (what {@link #acquire(Exchange)} does per command). */
    void acquireFor(String provider) {
        budget(provider).acquire();
    }

    /** The provider answered 429: everyone waits out its hint, and the steady rate halves. */
    public void throttled(String provider, Duration retryAfter) {
        budget(provider).throttled(retryAfter == null || retryAfter.isNegative() ? DEFAULT_HOLD : retryAfter);
    }

    /** The provider's current limit per refresh period, empty without a configured rate (for tests). */
    public Optional<Integer> currentLimit(String provider) {
        return Optional.ofNullable(budget(provider).limiter).map(l -> l.getRateLimiterConfig().getLimitForPeriod());
    }

    private Budget budget(String provider) {
        return budgets.computeIfAbsent(provider.trim().toLowerCase(java.util.Locale.ROOT), this::createBudget);
    }

    private Budget createBudget(String provider) {
        Optional<Double> rate = setting(provider, "rate-limit.rate").map(Double::parseDouble).filter(r -> r > 0);
        if (rate.isEmpty()) {
            return new Budget(provider, null, 0);
        }
        int burst = setting(provider, "rate-limit.burst").map(Integer::parseInt)
                .orElse((int) Math.max(1, Math.round(rate.get())));
        // burst permits per period, the period chosen so that the average is the configured rate
        Duration period = Duration.ofNanos((long) (burst / rate.get() * 1_000_000_000L));
        RateLimiterConfig config = RateLimiterConfig.custom()
                .limitForPeriod(burst)
                .limitRefreshPeriod(period)
                // a call waits for its permit as long as it takes: it is already counted as in flight
                .timeoutDuration(Duration.ofDays(1))
                .build();
        return new Budget(provider, RateLimiter.of("tasks." + provider, config), burst);
    }

    private Optional<String> setting(String provider, String key) {
        return properties.apply("tasks." + provider + "." + key).filter(v -> !v.isBlank()).map(String::trim);
    }

    private static final class Budget {
        private final String provider;
        private final RateLimiter limiter;
        private final int configured;
        private volatile long holdUntilNanos = System.nanoTime();
        private volatile long lastChangeNanos = System.nanoTime();

        Budget(String provider, RateLimiter limiter, int configured) {
            this.provider = provider;
            this.limiter = limiter;
            this.configured = configured;
        }

        void acquire() {
            long wait;
            while ((wait = holdUntilNanos - System.nanoTime()) > 0) {
                try {
                    TimeUnit.NANOSECONDS.sleep(wait);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            if (limiter != null) {
                recover();
                RateLimiter.waitForPermission(limiter);
            }
        }

        void throttled(Duration retryAfter) {
            long until = System.nanoTime() + retryAfter.toNanos();
            synchronized (this) {
                if (until > holdUntilNanos) {
                    holdUntilNanos = until;
                }
                if (limiter != null) {
                    int current = limiter.getRateLimiterConfig().getLimitForPeriod();
                    int halved = Math.max(1, current / 2);
                    if (halved < current) {
                        limiter.changeLimitForPeriod(halved);
                    }
                    limiter.drainPermissions();
                    lastChangeNanos = until;
                }
            }
            LOG.info("{} answered 429: holding its calls for {} ms{}", provider, retryAfter.toMillis(),
                    limiter == null ? "" : ", limit now " + limiter.getRateLimiterConfig().getLimitForPeriod() + " per period");
        }

        /** Additive increase: a tenth of the configured burst per refresh period without a 429. */
        private void recover() {
            int current = limiter.getRateLimiterConfig().getLimitForPeriod();
            long period = limiter.getRateLimiterConfig().getLimitRefreshPeriod().toNanos();
            if (current >= configured || System.nanoTime() - lastChangeNanos < period) {
                return;
            }
            synchronized (this) {
                current = limiter.getRateLimiterConfig().getLimitForPeriod();
                if (current < configured && System.nanoTime() - lastChangeNanos >= period) {
                    limiter.changeLimitForPeriod(Math.min(configured, current + Math.max(1, configured / 10)));
                    lastChangeNanos = System.nanoTime();
                }
            }
        }
    }
}
