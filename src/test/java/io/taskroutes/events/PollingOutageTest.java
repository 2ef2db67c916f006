package io.taskroutes.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.taskroutes.sandbox.ProviderSandbox;
import io.taskroutes.testsupport.BundleUnderTest;

/** A provider that fails its polls: the bundle backs off, keeps its cursor, and publishes the change once it is back. */
class PollingOutageTest {

    @Test
    void aPollingOutageBacksOffAndTheChangeMadeDuringItIsPublishedOnceAfterwards() {
        try (ProviderSandbox sandbox = ProviderSandbox.start()) {
            String prefix = BundleUnderTest.newPrefix();
            String topic = prefix + "task.events";
            try (BundleUnderTest bundle = BundleUnderTest.start(sandbox, PollingTest.polling(prefix, Map.of(
                    "tasks.pixflow.events.poll-interval", "100",
                    "tasks.pixflow.retry.max-attempts", "2")), 1, prefix)) {
                PollingTest.awaitBaseline(prefix, "pixflow");
                sandbox.faults("pixflow").failAlways(503);
                sandbox.pixflow().advance("inprogress01", "10");
                // polls fail (each after its retries); the waits between them double: 0.2, 0.4, 0.8 s ...
                int before = sandbox.requests("pixflow").size();
                await().atMost(Duration.ofSeconds(30)).until(() -> sandbox.requests("pixflow").size() >= before + 6);
                long started = System.nanoTime();
                int during = sandbox.requests("pixflow").size();
                await().atMost(Duration.ofSeconds(30)).until(() -> sandbox.requests("pixflow").size() >= during + 2);
                // without the back-off a poll every 100 ms would have made two requests in well under a second
                assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThan(Duration.ofMillis(700));
                assertThat(PollingTest.types(topic, "pixflow:inprogress01")).isEmpty();

                sandbox.faults("pixflow").clear();
                await().atMost(Duration.ofSeconds(60)).until(() -> PollingTest.types(topic, "pixflow:inprogress01").size() == 1);
                int after = sandbox.requests("pixflow").size();
                await().atMost(Duration.ofSeconds(30)).until(() -> sandbox.requests("pixflow").size() >= after + 3);
                assertThat(PollingTest.types(topic, "pixflow:inprogress01")).containsExactly("io.taskroutes.task.closed");
            }
        }
    }
}
