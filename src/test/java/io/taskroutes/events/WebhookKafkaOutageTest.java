package io.taskroutes.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.taskroutes.sandbox.EmbeddedKafkaBroker;
import io.taskroutes.sandbox.ProviderSandbox;
import io.taskroutes.testsupport.BundleUnderTest;

/**
 * The broker goes away while Pyrus delivers a webhook: the bundle answers 503 (so Pyrus sends it again) and has
 * published nothing; once the broker is back, Pyrus's retry is answered 200 and the change is published once.
 */
class WebhookKafkaOutageTest {

    @TempDir
    Path brokerDir;

    @Test
    void aWebhookThatCannotBeWrittenIsAnswered503AndItsRetryIsPublishedOnce() throws Exception {
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(brokerDir, 0);
        int brokerPort = broker.port();
        String bootstrap = broker.bootstrapServers();
        try (ProviderSandbox sandbox = ProviderSandbox.start()) {
            WebhookTest.port = WebhookTest.freePort();
            String prefix = BundleUnderTest.newPrefix();
            String topic = prefix + "task.events";
            try (BundleUnderTest bundle = BundleUnderTest.start(sandbox, Map.of(
                    "tasks.kafka.enabled", "false",
                    "tasks.kafka.brokers", bootstrap,
                    "tasks.events.webhook.port", String.valueOf(WebhookTest.port),
                    "tasks.events.webhook.host", "127.0.0.1",
                    "tasks.events.topic", topic,
                    "tasks.events.state-topic", prefix + "task.events.state",
                    "tasks.events.transactional-id", prefix + "events",
                    "tasks.events.write-timeout-ms", "2000"), 1, prefix)) {
                String first = WebhookTest.pyrusBody(8001, 1, "before the outage");
                assertThat(WebhookTest.post("pyrus", first, signed(first)).statusCode()).isEqualTo(200);
                assertThat(EventRecords.committed(bootstrap, topic)).hasSize(2);

                broker.close();
                String second = WebhookTest.pyrusBody(8001, 2, "during the outage");
                HttpResponse<String> refused = WebhookTest.post("pyrus", second, signed(second));
                assertThat(refused.statusCode()).isEqualTo(503);
                assertThat(refused.body()).doesNotContain(ProviderSandbox.PYRUS_SECURITY_KEY);

                broker = EmbeddedKafkaBroker.start(brokerDir, brokerPort);
                // Pyrus retries (X-Pyrus-Retry) until it is answered 2xx
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(
                        () -> WebhookTest.post("pyrus", second, Map.of("X-Pyrus-Sig", WebhookTest.sign(second, ProviderSandbox.PYRUS_SECURITY_KEY),
                                "X-Pyrus-Retry", "1/3")).statusCode() == 200);
                List<ConsumerRecord<byte[], byte[]>> events = EventRecords.committed(bootstrap, topic);
                assertThat(events).filteredOn(r -> EventRecords.type(r).equals("io.taskroutes.task.commented"))
                        .extracting(r -> EventRecords.data(r).path("comment").path("text").asText())
                        .containsExactly("before the outage", "during the outage");
            }
        } finally {
            broker.close();
        }
    }

    private static Map<String, String> signed(String body) throws Exception {
        return Map.of("X-Pyrus-Sig", WebhookTest.sign(body, ProviderSandbox.PYRUS_SECURITY_KEY));
    }
}
