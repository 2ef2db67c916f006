package io.taskroutes.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** The per-provider budget: Resilience4j's limiter for the rate, a hold and a halved rate after a 429. */
class RateLimitsTest {

    private static RateLimits limits(Map<String, String> properties) {
        return new RateLimits(key -> Optional.ofNullable(properties.get(key)));
    }

    private static long millisToAcquire(RateLimits limits, String provider, int permits) {
        long start = System.nanoTime();
        for (int i = 0; i < permits; i++) {
            limits.acquireFor(provider);
        }
        return Duration.ofNanos(System.nanoTime() - start).toMillis();
    }

    @Test
    void theConfiguredRateSpacesOutRequestsInBurstSizedWindows() {
        // 20 per second in bursts of 5: a window of 250 ms; 15 permits need at least two more windows
        RateLimits limits = limits(Map.of("tasks.pyrus.rate-limit.rate", "20", "tasks.pyrus.rate-limit.burst", "5"));
        assertThat(limits.currentLimit("pyrus")).contains(5);
        assertThat(millisToAcquire(limits, "pyrus", 15)).isGreaterThanOrEqualTo(250);
        assertThat(millisToAcquire(limits, "pixflow", 500)).as("no rate configured: no wait").isLessThan(200);
    }

    @Test
    void a429HoldsEveryCallUntilTheHintAndHalvesTheRate() {
        RateLimits limits = limits(Map.of("tasks.pyrus.rate-limit.rate", "100", "tasks.pyrus.rate-limit.burst", "10"));
        limits.throttled("pyrus", Duration.ofMillis(400));
        assertThat(limits.currentLimit("pyrus")).contains(5);
        assertThat(millisToAcquire(limits, "pyrus", 1)).isGreaterThanOrEqualTo(350);
    }

    @Test
    void withoutAConfiguredRateA429StillHoldsTheProvider() {
        RateLimits limits = limits(Map.of());
        limits.throttled("taskapi", null); // no hint: the default hold
        assertThat(limits.currentLimit("taskapi")).isEmpty();
        assertThat(millisToAcquire(limits, "taskapi", 1)).isGreaterThanOrEqualTo(RateLimits.DEFAULT_HOLD.toMillis() - 50);
        assertThat(millisToAcquire(limits, "pyrus", 1)).as("other providers are not held").isLessThan(100);
    }

    @Test
    void theRateGrowsBackAfterQuietWindows() {
        RateLimits limits = limits(Map.of("tasks.pyrus.rate-limit.rate", "200", "tasks.pyrus.rate-limit.burst", "10"));
        limits.throttled("pyrus", Duration.ZERO);
        assertThat(limits.currentLimit("pyrus")).contains(5);
        // each window of 50 ms without a 429 adds a tenth of the burst back
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> {
            limits.acquireFor("pyrus");
            return limits.currentLimit("pyrus").orElseThrow() == 10;
        });
    }
}
