package io.taskroutes.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import io.taskroutes.command.Json;
import io.taskroutes.sandbox.PyrusSimulator;
import io.taskroutes.sandbox.ProviderSandbox;
import io.taskroutes.testsupport.BundleUnderTest;
import io.taskroutes.testsupport.TestKafka;

/**
 * Durable polling: a baseline first, then every change once — across a restart with changes made while the bundle
 * was down, and when a webhook and a poll both see the same change.
 */
class PollingTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void pyrusChangesMadeWhileTheBundleIsDownArePublishedAfterTheRestartAndNothingTwice() throws Exception {
        try (ProviderSandbox sandbox = ProviderSandbox.start();
             BundleUnderTest commands = BundleUnderTest.start(sandbox, Map.of("tasks.kafka.enabled", "false"))) {
            String prefix = BundleUnderTest.newPrefix();
            Map<String, String> events = polling(prefix, Map.of("tasks.pyrus.events.poll-interval", "300",
                    "tasks.pyrus.events.list-id", String.valueOf(PyrusSimulator.ALL_TASKS_LIST_ID)));
            String topic = prefix + "task.events";
            // every change in one second, as on a fast machine: Pyrus's modification times have whole seconds
            sandbox.clock(java.time.Clock.fixed(java.time.Instant.now().minusSeconds(20), java.time.ZoneOffset.UTC));
            String first;
            try (BundleUnderTest bundle = BundleUnderTest.start(sandbox, events, 1, prefix)) {
                awaitBaseline(prefix, "pyrus");
                // what existed before the baseline is not published, neither by the baseline nor by the polls after it
                int polls = sandbox.requests("pyrus").size();
                await().atMost(WAIT).until(() -> sandbox.requests("pyrus").size() >= polls + 3);
                assertThat(committed(topic)).isEmpty();
                first = taskId(commands, "direct:task.create", "{\"provider\":\"pyrus\",\"text\":\"Polled while up\"}");
                await().atMost(WAIT).until(() -> types(topic, "pyrus:" + first).contains("io.taskroutes.task.created"));
            }
            // while the bundle is down: a comment on the first task, a new task, the first task closed
            commands.template().requestBody("direct:task.comment",
                    "{\"provider\":\"pyrus\",\"taskId\":" + first + ",\"text\":\"Said while down\"}", String.class);
            String second = taskId(commands, "direct:task.create", "{\"provider\":\"pyrus\",\"text\":\"Created while down\"}");
            commands.template().requestBody("direct:task.comment",
                    "{\"provider\":\"pyrus\",\"taskId\":" + first + ",\"action\":\"close\"}", String.class);

            try (BundleUnderTest restarted = BundleUnderTest.start(sandbox, events, 1, prefix)) {
                await().atMost(WAIT).until(() -> types(topic, "pyrus:" + second).contains("io.taskroutes.task.created")
                        && types(topic, "pyrus:" + first).contains("io.taskroutes.task.closed"));
                // a few more polls over the same window publish nothing new
                int polls = sandbox.requests("pyrus").size();
                await().atMost(WAIT).until(() -> sandbox.requests("pyrus").size() >= polls + 6);
            }
            assertThat(types(topic, "pyrus:" + first)).containsExactly(
                    "io.taskroutes.task.created", "io.taskroutes.task.commented", "io.taskroutes.task.closed");
            assertThat(types(topic, "pyrus:" + second)).containsExactly("io.taskroutes.task.created");
            List<ConsumerRecord<byte[], byte[]>> all = committed(topic);
            assertThat(all).extracting(r -> EventRecords.header(r, "ce_id")).doesNotHaveDuplicates();
            JsonNode commented = all.stream().filter(r -> EventRecords.type(r).endsWith("commented")).map(EventRecords::data)
                    .findFirst().orElseThrow();
            assertThat(commented.path("comment").path("text").asText()).isEqualTo("Said while down");
            assertThat(EventRecords.everything(all)).doesNotContain(ProviderSandbox.PYRUS_SECURITY_KEY);
        }
    }

    @Test
    void aChangeSeenByAWebhookAndByAPollIsPublishedOnce() throws Exception {
        try (ProviderSandbox sandbox = ProviderSandbox.start();
             BundleUnderTest commands = BundleUnderTest.start(sandbox, Map.of("tasks.kafka.enabled", "false"))) {
            String prefix = BundleUnderTest.newPrefix();
            int port = WebhookTest.freePort();
            Map<String, String> events = new java.util.HashMap<>(polling(prefix, Map.of("tasks.pyrus.events.poll-interval", "300",
                    "tasks.pyrus.events.list-id", String.valueOf(PyrusSimulator.ALL_TASKS_LIST_ID))));
            events.put("tasks.events.webhook.port", String.valueOf(port));
            events.put("tasks.events.webhook.host", "127.0.0.1");
            String topic = prefix + "task.events";
            try (BundleUnderTest bundle = BundleUnderTest.start(sandbox, events, 1, prefix)) {
                awaitBaseline(prefix, "pyrus");
                sandbox.webhooks("http://127.0.0.1:" + port + "/webhooks");
                String id = taskId(commands, "direct:task.create", "{\"provider\":\"pyrus\",\"text\":\"Seen twice\"}");
                commands.template().requestBody("direct:task.comment",
                        "{\"provider\":\"pyrus\",\"taskId\":" + id + ",\"text\":\"One comment\"}", String.class);
                // both ways have seen both changes: the webhooks were answered 200 and the polls ran after them
                await().atMost(WAIT).until(() -> sandbox.webhookDeliveries().stream().filter(d -> d.provider().equals("pyrus")
                        && d.succeeded()).count() >= 2);
                int polls = sandbox.requests("pyrus").size();
                await().atMost(WAIT).until(() -> sandbox.requests("pyrus").size() >= polls + 6);
                assertThat(types(topic, "pyrus:" + id)).containsExactly("io.taskroutes.task.created", "io.taskroutes.task.commented");
            }
        }
    }

    @Test
    void aPyrusWindowWithMoreModifiedTasksThanAPageIsSplitUntilEveryTaskIsSeen() throws Exception {
        try (ProviderSandbox sandbox = ProviderSandbox.start();
             BundleUnderTest commands = BundleUnderTest.start(sandbox, Map.of("tasks.kafka.enabled", "false"))) {
            String prefix = BundleUnderTest.newPrefix();
            String topic = prefix + "task.events";
            // five tasks a second apart (the sandbox's clock), answered two per request
            java.time.Instant start = java.time.Instant.now().minusSeconds(30).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
            try (BundleUnderTest bundle = BundleUnderTest.start(sandbox, polling(prefix, Map.of(
                    "tasks.pyrus.events.poll-interval", "60000",
                    "tasks.pyrus.events.item-count", "2",
                    "tasks.pyrus.events.list-id", String.valueOf(PyrusSimulator.ALL_TASKS_LIST_ID))), 1, prefix)) {
                awaitBaseline(prefix, "pyrus");
                List<String> ids = new java.util.ArrayList<>();
                for (int i = 0; i < 5; i++) {
                    sandbox.clock(java.time.Clock.fixed(start.plusSeconds(i), java.time.ZoneOffset.UTC));
                    ids.add(taskId(commands, "direct:task.create", "{\"provider\":\"pyrus\",\"text\":\"Page " + i + "\"}"));
                }
                // the next tick of the scheduler polls (a minute apart here: one poll sees all five)
                bundle.context().getRouteController().stopRoute("task-events-poll-pyrus");
                bundle.context().getRouteController().startRoute("task-events-poll-pyrus");
                await().atMost(WAIT).until(() -> ids.stream().allMatch(id -> types(topic, "pyrus:" + id).contains("io.taskroutes.task.created")));
                long lists = sandbox.requests("pyrus").stream().filter(r -> r.path().contains("/lists/")).count();
                // the baseline made none; the poll needed more than one request for five tasks two at a time
                assertThat(lists).isGreaterThan(2);
            }
        }
    }

    static Map<String, String> polling(String prefix, Map<String, String> more) {
        Map<String, String> props = new java.util.HashMap<>(more);
        props.put("tasks.kafka.enabled", "false");
        props.put("tasks.kafka.brokers", TestKafka.bootstrap());
        props.put("tasks.events.topic", prefix + "task.events");
        props.put("tasks.events.state-topic", prefix + "task.events.state");
        props.put("tasks.events.transactional-id", prefix + "events");
        return props;
    }

    static void awaitBaseline(String prefix, String provider) {
        await().atMost(WAIT).until(() -> committed(prefix + "task.events.state").stream()
                .anyMatch(r -> new String(r.key(), StandardCharsets.UTF_8).equals("cursor:" + provider)));
    }

    static List<ConsumerRecord<byte[], byte[]>> committed(String topic) {
        return EventRecords.committed(TestKafka.bootstrap(), topic);
    }

    static List<String> types(String topic, String key) {
        return committed(topic).stream().filter(r -> EventRecords.key(r).equals(key)).map(EventRecords::type).toList();
    }

    static String taskId(BundleUnderTest bundle, String endpoint, String command) {
        JsonNode result = Json.readLenient(bundle.template().requestBody(endpoint, command, String.class).getBytes(StandardCharsets.UTF_8));
        return result.path("task").path("id").asText();
    }
}
