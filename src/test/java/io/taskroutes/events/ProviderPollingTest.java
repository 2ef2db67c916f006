package io.taskroutes.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import io.taskroutes.sandbox.ProviderSandbox;
import io.taskroutes.testsupport.BundleUnderTest;

/** Polling Tracker, Task API, Worksection and Pixflow: each provider's changes after the baseline, as events. */
class ProviderPollingTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    static ProviderSandbox sandbox;
    static BundleUnderTest commands;
    static BundleUnderTest events;
    static String topic;

    @BeforeAll
    static void start() {
        sandbox = ProviderSandbox.start();
        commands = BundleUnderTest.start(sandbox, Map.of("tasks.kafka.enabled", "false"));
        String prefix = BundleUnderTest.newPrefix();
        topic = prefix + "task.events";
        events = BundleUnderTest.start(sandbox, PollingTest.polling(prefix, Map.of(
                "tasks.yandex-tracker.events.poll-interval", "300",
                "tasks.taskapi.events.poll-interval", "300",
                "tasks.worksection.events.poll-interval", "300",
                "tasks.pixflow.events.poll-interval", "300")), 1, prefix);
        for (String provider : List.of("yandex-tracker", "taskapi", "worksection", "pixflow")) {
            PollingTest.awaitBaseline(prefix, provider);
        }
    }

    @AfterAll
    static void stop() {
        // every event any test made is what the published schemas describe
        List<ConsumerRecord<byte[], byte[]>> all = PollingTest.committed(topic);
        assertThat(all).isNotEmpty();
        assertThat(EventRecords.schemaViolations(all)).isEmpty();
        events.close();
        commands.close();
        sandbox.close();
    }

    private static List<ConsumerRecord<byte[], byte[]>> of(String key) {
        return PollingTest.committed(topic).stream().filter(r -> EventRecords.key(r).equals(key)).toList();
    }

    private static ConsumerRecord<byte[], byte[]> awaitEvent(String key, String type) {
        await().atMost(WAIT).until(() -> of(key).stream().anyMatch(r -> EventRecords.type(r).equals(type)));
        return of(key).stream().filter(r -> EventRecords.type(r).equals(type)).findFirst().orElseThrow();
    }

    @Test
    void aTrackerIssueRenamedAndOneCreatedArePublished() {
        commands.template().requestBody("direct:task.update",
                "{\"provider\":\"yandex-tracker\",\"taskId\":\"TEST-4\",\"title\":\"Renamed by a test\"}", String.class);
        JsonNode updated = EventRecords.data(awaitEvent("yandex-tracker:TEST-4", "io.taskroutes.task.updated"));
        assertThat(updated.path("changes")).anySatisfy(change -> {
            assertThat(change.path("field").asText()).isEqualTo("title");
            assertThat(change.path("to").asText()).isEqualTo("Renamed by a test");
        });
        String created = PollingTest.taskId(commands, "direct:task.create",
                "{\"provider\":\"yandex-tracker\",\"project\":\"TEST\",\"title\":\"Polled issue\"}");
        assertThat(EventRecords.header(awaitEvent("yandex-tracker:" + created, "io.taskroutes.task.created"), "ce_subject"))
                .isEqualTo(created);
        assertThat(of("yandex-tracker:TEST-4")).hasSize(1);
    }

    @Test
    void aTrackerCommentIsPublishedOnceFromTheIssuesComments() {
        commands.template().requestBody("direct:task.comment",
                "{\"provider\":\"yandex-tracker\",\"taskId\":\"TEST-2\",\"text\":\"Polled tracker comment\"}", String.class);
        JsonNode commented = EventRecords.data(awaitEvent("yandex-tracker:TEST-2", "io.taskroutes.task.commented"));
        assertThat(commented.path("comment").path("text").asText()).isEqualTo("Polled tracker comment");
        assertThat(commented.path("comment").path("author").isObject()).isTrue();
        int polls = sandbox.requests("yandex-tracker").size();
        await().atMost(WAIT).until(() -> sandbox.requests("yandex-tracker").size() >= polls + 3);
        // a comment changes no tracked field: only the commented event, and only once
        assertThat(of("yandex-tracker:TEST-2")).extracting(EventRecords::type).containsExactly("io.taskroutes.task.commented");
    }

    @Test
    void aTaskApiTaskCompletedIsPublishedWithItsStatusChange() {
        commands.template().requestBody("direct:task.update",
                "{\"provider\":\"taskapi\",\"taskId\":\"task-3\",\"status\":\"completed\"}", String.class);
        ConsumerRecord<byte[], byte[]> event = await().atMost(WAIT).until(
                () -> of("taskapi:task-3").stream().findFirst().orElse(null), r -> r != null);
        assertThat(EventRecords.data(event).path("changes")).anySatisfy(change -> {
            assertThat(change.path("field").asText()).isEqualTo("status");
        });
    }

    @Test
    void aWorksectionCommentAndAClosedTaskComeFromItsEventLog() {
        commands.template().requestBody("direct:task.comment",
                "{\"provider\":\"worksection\",\"taskId\":\"1002\",\"text\":\"Polled comment\"}", String.class);
        JsonNode commented = EventRecords.data(awaitEvent("worksection:1002", "io.taskroutes.task.commented"));
        assertThat(commented.path("comment").path("text").asText()).isEqualTo("Polled comment");
        commands.template().requestBody("direct:task.update",
                "{\"provider\":\"worksection\",\"taskId\":\"1004\",\"status\":\"closed\"}", String.class);
        awaitEvent("worksection:1004", "io.taskroutes.task.closed");
        // the next polls read the same minute of the event log again: still one event each
        int polls = sandbox.requests("worksection").size();
        await().atMost(WAIT).until(() -> sandbox.requests("worksection").size() >= polls + 3);
        assertThat(of("worksection:1002")).hasSize(1);
        assertThat(of("worksection:1004")).hasSize(1);
    }

    @Test
    void aPixflowJobThatFinishesIsClosedAndOneThatIsDeletedIsDeleted() {
        // inprogress01 is at 5 (in progress) in the seed
        sandbox.pixflow().advance("inprogress01", "10");
        JsonNode closed = EventRecords.data(awaitEvent("pixflow:inprogress01", "io.taskroutes.task.closed"));
        assertThat(closed.path("changes")).anySatisfy(change -> {
            assertThat(change.path("field").asText()).isEqualTo("pixflowStatus");
            assertThat(change.path("to").asText()).isEqualTo("10");
        });
        io.micrometer.core.instrument.MeterRegistry meters = events.context().getRegistry()
                .lookupByNameAndType("metricsRegistry", io.micrometer.core.instrument.MeterRegistry.class);
        assertThat(meters.get("tasks.events").tag("provider", "pixflow").tag("type", "closed").tag("path", "poll").counter().count())
                .isEqualTo(1);
        assertThat(meters.get("tasks.events.poll.lag").tag("provider", "pixflow").gauge().value()).isBetween(0.0, 30.0);
        commands.template().requestBody("direct:task.delete", "{\"provider\":\"pixflow\",\"taskId\":\"gsvyz98boa\"}", String.class);
        awaitEvent("pixflow:gsvyz98boa", "io.taskroutes.task.deleted");
        assertThat(of("pixflow:gsvyz98boa")).extracting(EventRecords::type).containsExactly("io.taskroutes.task.deleted");
        assertThat(of("pixflow:inprogress01")).extracting(EventRecords::type).containsExactly("io.taskroutes.task.closed");
    }
}
