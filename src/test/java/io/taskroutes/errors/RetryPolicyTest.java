package io.taskroutes.errors;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    @Test
    void backoffStartsAtTheInitialDelayAndDoubles() {
        // random 0.5 = no jitter
        assertThat(RetryPolicy.delayMs(1, 500, 30_000, null, 0.5)).isEqualTo(500);
        assertThat(RetryPolicy.delayMs(2, 500, 30_000, null, 0.5)).isEqualTo(1000);
        assertThat(RetryPolicy.delayMs(3, 500, 30_000, null, 0.5)).isEqualTo(2000);
        assertThat(RetryPolicy.delayMs(4, 500, 30_000, null, 0.5)).isEqualTo(4000);
    }

    @Test
    void jitterStaysWithinTwentyPercent() {
        assertThat(RetryPolicy.delayMs(1, 500, 30_000, null, 0.0)).isEqualTo(400);
        assertThat(RetryPolicy.delayMs(1, 500, 30_000, null, 0.999)).isBetween(599L, 600L);
    }

    @Test
    void delayIsCappedAtTheMaximum() {
        assertThat(RetryPolicy.delayMs(12, 500, 30_000, null, 0.9)).isEqualTo(30_000);
    }

    @Test
    void retryAfterIsAFloorButNotBeyondTheMaximum() {
        assertThat(RetryPolicy.delayMs(1, 500, 30_000, Duration.ofSeconds(3), 0.5)).isEqualTo(3000);
        assertThat(RetryPolicy.delayMs(1, 500, 30_000, Duration.ofSeconds(120), 0.5)).isEqualTo(30_000);
        assertThat(RetryPolicy.delayMs(4, 500, 30_000, Duration.ofSeconds(1), 0.5)).isEqualTo(4000);
    }
}
