package io.taskroutes.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.taskroutes.sandbox.ProviderSandbox;
import io.taskroutes.testsupport.BundleUnderTest;

/**
 * A second instance with the same transactional id takes events over: the first is fenced and refuses to
 * publish (its provider is told to retry), and what the second publishes is each change once.
 */
class TakeoverTest {

    @Test
    void aSecondInstanceFencesTheFirstWhichThenPublishesNothing() throws Exception {
        try (ProviderSandbox sandbox = ProviderSandbox.start()) {
            String prefix = BundleUnderTest.newPrefix();
            String topic = prefix + "task.events";
            int firstPort = WebhookTest.freePort();
            int secondPort = WebhookTest.freePort();
            try (BundleUnderTest first = BundleUnderTest.start(sandbox, webhooks(prefix, firstPort), 1, prefix)) {
                WebhookTest.port = firstPort;
                String one = WebhookTest.pyrusBody(9001, 1, "to the first");
                assertThat(WebhookTest.post("pyrus", one, signed(one)).statusCode()).isEqualTo(200);
                try (BundleUnderTest second = BundleUnderTest.start(sandbox, webhooks(prefix, secondPort), 1, prefix)) {
                    String two = WebhookTest.pyrusBody(9001, 2, "while the second runs");
                    assertThat(WebhookTest.post("pyrus", two, signed(two)).statusCode()).as("fenced first instance").isEqualTo(503);
                    WebhookTest.port = secondPort;
                    // the provider's retry reaches the instance that has the events now
                    assertThat(WebhookTest.post("pyrus", two, signed(two)).statusCode()).isEqualTo(200);
                    assertThat(WebhookTest.post("pyrus", one, signed(one)).statusCode()).isEqualTo(200);
                }
            }
            assertThat(PollingTest.committed(topic)).filteredOn(r -> EventRecords.type(r).endsWith("commented"))
                    .extracting(r -> EventRecords.data(r).path("comment").path("text").asText())
                    .containsExactly("to the first", "while the second runs");
        }
    }

    private static Map<String, String> webhooks(String prefix, int port) {
        Map<String, String> props = new HashMap<>(PollingTest.polling(prefix, Map.of()));
        props.put("tasks.events.webhook.port", String.valueOf(port));
        props.put("tasks.events.webhook.host", "127.0.0.1");
        return props;
    }

    private static Map<String, String> signed(String body) throws Exception {
        return Map.of("X-Pyrus-Sig", WebhookTest.sign(body, ProviderSandbox.PYRUS_SECURITY_KEY));
    }
}
