package io.taskroutes.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.taskroutes.command.Json;
import io.taskroutes.sandbox.ProviderSandbox;
import io.taskroutes.sandbox.RecordedRequest;
import io.taskroutes.sandbox.TrackerSimulator;
import io.taskroutes.sandbox.WorksectionSimulator;
import io.taskroutes.testsupport.BundleUnderTest;
import io.taskroutes.testsupport.Direct;
import io.taskroutes.testsupport.Records;
import io.taskroutes.testsupport.TestKafka;

/**
 * Commands in doubt, as a crash leaves them: their intent ("started") is on the state topic and no outcome, and
 * the record comes again. Where the earlier attempt took effect (made here through the bundle's direct:
 * endpoints, which are not tracked) the provider is asked instead of repeating; where it did not, the command is
 * sent once; where the provider cannot tell, the policy decides. Every result says it was in doubt.
 */
class InDoubtTest {

    static ProviderSandbox sandbox;
    static BundleUnderTest bundle;
    static String prefix;

    /** Each scenario's command id: an intent is recorded for all of them before the bundle starts. */
    static final Map<String, String> INTENTS = Map.ofEntries(
            Map.entry("d-deleted", "task.delete"), Map.entry("d-still-there", "task.delete"),
            Map.entry("c-posted", "task.comment"), Map.entry("c-not-posted", "task.comment"),
            Map.entry("t-created", "task.create"), Map.entry("t-comment-posted", "task.comment"),
            Map.entry("w-comment-posted", "task.comment"), Map.entry("p-create", "task.create"),
            Map.entry("w-create", "task.create"), Map.entry("t-update", "task.update"), Map.entry("w-close", "task.update"));

    @BeforeAll
    static void start() {
        sandbox = ProviderSandbox.start();
        prefix = BundleUnderTest.newPrefix();
        long intentAt = System.currentTimeMillis() - 1000;
        for (String operation : Set.copyOf(INTENTS.values())) {
            TestKafka.createTopic(prefix + operation + ".state", 1);
        }
        INTENTS.forEach((id, operation) -> TestKafka.produce(prefix + operation + ".state", utf8(id),
                utf8("{\"state\":\"started\",\"at\":" + intentAt + "}"), Map.of()));
        // Pyrus creates cannot be checked: an operator decides (dead-letter); Worksection's are repeated (default)
        bundle = BundleUnderTest.start(sandbox, Map.of("tasks.pyrus.in-doubt", "dead-letter"), 1, prefix);
    }

    @AfterAll
    static void stop() {
        bundle.close();
        sandbox.close();
    }

    @Test
    void aDeleteThatTookEffectIsReportedOkWhenTheProviderAnswersNotFound() throws Exception {
        sandbox.pixflow().seedTask("gone-1", "10");
        Direct.call(bundle.template(), "task.delete", "{\"provider\":\"pixflow\",\"taskId\":\"gone-1\"}"); // the earlier attempt
        int before = sandbox.requests("pixflow").size();

        JsonNode result = command("task.delete", "gone-1", "{\"id\":\"d-deleted\",\"provider\":\"pixflow\",\"taskId\":\"gone-1\"}");

        assertThat(result.get("status").asText()).isEqualTo("ok");
        assertThat(result.get("inDoubt").asBoolean()).isTrue();
        assertThat(result.get("resolution").asText()).isEqualTo("reconciled");
        // one call, answered "task not found": nothing dead-lettered
        assertThat(sandbox.requests("pixflow")).hasSize(before + 1);
        assertThat(Records.count(bundle.topic("task.dlq"))).isZero();
    }

    @Test
    void aDeleteThatDidNotTakeEffectIsSentOnce() throws Exception {
        sandbox.pixflow().seedTask("there-1", "10");

        JsonNode result = command("task.delete", "there-1", "{\"id\":\"d-still-there\",\"provider\":\"pixflow\",\"taskId\":\"there-1\"}");

        assertThat(result.get("status").asText()).isEqualTo("ok");
        assertThat(result.get("resolution").asText()).isEqualTo("sent");
        assertThat(sandbox.pixflow().status("there-1")).isEmpty();
    }

    @Test
    void aPyrusCommentAlreadyPostedIsFoundAndNotPostedAgain() throws Exception {
        long task = sandbox.pyrus().seedTask("in doubt");
        Direct.call(bundle.template(), "task.comment", "{\"provider\":\"pyrus\",\"taskId\":" + task + ",\"text\":\"shipped\"}");

        JsonNode result = command("task.comment", String.valueOf(task),
                "{\"id\":\"c-posted\",\"provider\":\"pyrus\",\"taskId\":" + task + ",\"text\":\"shipped\"}");

        assertThat(result.get("resolution").asText()).isEqualTo("reconciled");
        assertThat(result.path("task").path("id").asText()).isEqualTo(String.valueOf(task));
        assertThat(sandbox.pyrus().commentTexts(task)).containsOnlyOnce("shipped");
        assertThat(lastPyrusCall(task).method()).as("a lookup, no post").isEqualTo("GET");
    }

    @Test
    void aPyrusCommentNotPostedYetIsPostedOnceAfterTheLookup() throws Exception {
        long task = sandbox.pyrus().seedTask("in doubt, not posted");

        JsonNode result = command("task.comment", String.valueOf(task),
                "{\"id\":\"c-not-posted\",\"provider\":\"pyrus\",\"taskId\":" + task + ",\"text\":\"first time\"}");

        assertThat(result.get("resolution").asText()).isEqualTo("sent");
        assertThat(sandbox.pyrus().commentTexts(task)).containsOnlyOnce("first time");
        assertThat(lastPyrusCall(task).method()).isEqualTo("POST");
    }

    @Test
    void aTrackerIssueCreatedBeforeIsFoundByItsUniqueAndNotCreatedTwice() throws Exception {
        TrackerSimulator tracker = sandbox.simulator(TrackerSimulator.class);
        String create = "{\"id\":\"t-created\",\"provider\":\"yandex-tracker\",\"project\":\"TEST\",\"title\":\"Once\"}";
        String key = Direct.call(bundle.template(), "task.create", create).path("task").path("id").asText();
        int issues = tracker.issues().size();

        JsonNode result = command("task.create", "t-created", create);

        assertThat(result.get("resolution").asText()).isEqualTo("reconciled");
        assertThat(result.path("task").path("id").asText()).isEqualTo(key);
        assertThat(tracker.issues()).hasSize(issues);
        assertThat(tracker.issues().stream().filter(i -> "t-created".equals(i.path("unique").asText()))).hasSize(1);
    }

    @Test
    void aTrackerCreateRepeatedWithTheSameIdIsAnsweredWithTheFirstIssueCrashOrNoCrash() {
        TrackerSimulator tracker = sandbox.simulator(TrackerSimulator.class);
        String create = "{\"id\":\"t-direct-twice\",\"provider\":\"yandex-tracker\",\"project\":\"TEST\",\"title\":\"Twice\"}";
        String first = Direct.call(bundle.template(), "task.create", create).path("task").path("id").asText();
        JsonNode second = Direct.call(bundle.template(), "task.create", create);

        // the 409 for the repeated unique is followed by a search that finds the first issue
        assertThat(second.get("status").asText()).isEqualTo("ok");
        assertThat(second.path("task").path("id").asText()).isEqualTo(first);
        assertThat(tracker.issues().stream().filter(i -> "t-direct-twice".equals(i.path("unique").asText()))).hasSize(1);
    }

    @Test
    void trackerAndWorksectionCommentsAlreadyPostedAreFound() throws Exception {
        TrackerSimulator tracker = sandbox.simulator(TrackerSimulator.class);
        Direct.call(bundle.template(), "task.comment", "{\"provider\":\"yandex-tracker\",\"taskId\":\"TEST-2\",\"text\":\"looked at\"}");
        JsonNode t = command("task.comment", "TEST-2", "{\"id\":\"t-comment-posted\",\"provider\":\"yandex-tracker\",\"taskId\":\"TEST-2\",\"text\":\"looked at\"}");
        assertThat(t.get("resolution").asText()).isEqualTo("reconciled");
        assertThat(tracker.comments("TEST-2").stream().filter(c -> c.path("text").asText().equals("looked at"))).hasSize(1);

        WorksectionSimulator worksection = sandbox.simulator(WorksectionSimulator.class);
        Direct.call(bundle.template(), "task.comment", "{\"provider\":\"worksection\",\"taskId\":\"1001\",\"text\":\"noted\"}");
        JsonNode w = command("task.comment", "1001", "{\"id\":\"w-comment-posted\",\"provider\":\"worksection\",\"taskId\":\"1001\",\"text\":\"noted\"}");
        assertThat(w.get("resolution").asText()).isEqualTo("reconciled");
        assertThat(worksection.comments("1001").stream().filter(c -> c.path("text").asText().equals("noted"))).hasSize(1);
    }

    @Test
    void aWorksectionCloseInDoubtAnsweredAlreadyClosedTookEffect() throws Exception {
        String close = "{\"provider\":\"worksection\",\"taskId\":\"1004\",\"status\":\"closed\"}";
        Direct.call(bundle.template(), "task.update", close); // the earlier attempt

        JsonNode result = command("task.update", "1004", "{\"id\":\"w-close\"," + close.substring(1));

        // complete_task again is answered error 12 "already closed": that is the earlier attempt's effect
        assertThat(result.get("status").asText()).isEqualTo("ok");
        assertThat(result.get("resolution").asText()).isEqualTo("reconciled");
    }

    @Test
    void aCreateThatCannotBeCheckedFollowsThePolicy() throws Exception {
        // Pyrus, tasks.pyrus.in-doubt=dead-letter: not repeated, dead-lettered as in-doubt for an operator
        int pyrusCalls = sandbox.requests("pyrus").size();
        JsonNode pyrus = command("task.create", "p", "{\"id\":\"p-create\",\"provider\":\"pyrus\",\"text\":\"maybe twice\"}");
        assertThat(pyrus.get("status").asText()).isEqualTo("error");
        assertThat(pyrus.path("error").path("reason").asText()).isEqualTo("in-doubt");
        assertThat(pyrus.get("inDoubt").asBoolean()).isTrue();
        assertThat(pyrus.get("resolution").asText()).isEqualTo("dead-lettered");
        assertThat(sandbox.requests("pyrus")).hasSize(pyrusCalls);
        ConsumerRecord<byte[], byte[]> dead = Records.readUntil(bundle.topic("task.dlq"),
                rs -> rs.stream().anyMatch(r -> "p-create".equals(Records.header(r, "task.command-id"))), Duration.ofSeconds(30))
                .stream().filter(r -> "p-create".equals(Records.header(r, "task.command-id"))).findFirst().orElseThrow();
        assertThat(Records.header(dead, "task.error.reason")).isEqualTo("in-doubt");

        // Worksection, default policy: repeated, and said so
        JsonNode worksection = command("task.create", "w", "{\"id\":\"w-create\",\"provider\":\"worksection\",\"project\":\"100\",\"title\":\"maybe twice\"}");
        assertThat(worksection.get("status").asText()).isEqualTo("ok");
        assertThat(worksection.get("resolution").asText()).isEqualTo("repeated");

        // an update sets the same fields again: always repeated
        JsonNode update = command("task.update", "TEST-3", "{\"id\":\"t-update\",\"provider\":\"yandex-tracker\",\"taskId\":\"TEST-3\",\"title\":\"Same\"}");
        assertThat(update.get("resolution").asText()).isEqualTo("repeated");

        MeterRegistry meters = bundle.context().getRegistry().lookupByNameAndType("metricsRegistry", MeterRegistry.class);
        assertThat(meters.get("tasks.in.doubt").tag("provider", "pyrus").tag("resolution", "dead-lettered").counter().count()).isEqualTo(1);
        assertThat(meters.get("tasks.in.doubt").tag("provider", "worksection").tag("resolution", "repeated").counter().count()).isEqualTo(1);
    }

    private static JsonNode command(String operation, String key, String json) throws Exception {
        String id = Json.MAPPER.readTree(json).get("id").asText();
        TestKafka.produce(bundle.topic(operation), utf8(key), utf8(json), Map.of());
        ConsumerRecord<byte[], byte[]> result = Records.byCommandId(bundle.topic("task.results"), Set.of(id), Duration.ofSeconds(30)).get(id);
        return Json.MAPPER.readTree(result.value());
    }

    private static RecordedRequest lastPyrusCall(long task) {
        List<RecordedRequest> calls = sandbox.requests("pyrus").stream().filter(r -> r.path().contains("/tasks/" + task)).toList();
        return calls.get(calls.size() - 1);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
