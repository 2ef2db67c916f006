package io.taskroutes.routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;
import io.taskroutes.command.Json;
import io.taskroutes.sandbox.TrackerSimulator;
import io.taskroutes.testsupport.Records;
import io.taskroutes.testsupport.SandboxBundle;
import io.taskroutes.testsupport.TestKafka;

/** Yandex Tracker commands on Kafka against a real broker: a result record, and a 423 on the DLQ without retry. */
class TrackerKafkaTest {

    @RegisterExtension
    static final SandboxBundle env = new SandboxBundle(Map.of("tasks.retry.max-attempts", "2"));

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aChecklistDeleteCommandYieldsAResultRecord() throws Exception {
        TestKafka.produce(env.bundle().topic("task.checklist.delete"), utf8(TrackerSimulator.PROJECT_ID),
                utf8("{\"id\":\"yt-ok\",\"provider\":\"yandex-tracker\",\"entityType\":\"project\",\"entityId\":\""
                        + TrackerSimulator.PROJECT_ID + "\",\"notify\":false}"), Map.of());

        ConsumerRecord<byte[], byte[]> result = Records.byCommandId(env.bundle().topic("task.results"), Set.of("yt-ok"),
                Duration.ofSeconds(30)).get("yt-ok");
        assertThat(new String(result.key(), StandardCharsets.UTF_8)).isEqualTo(TrackerSimulator.PROJECT_ID);
        assertThat(Records.header(result, "task.provider")).isEqualTo("yandex-tracker");
        assertThat(Records.header(result, "task.operation")).isEqualTo("task.checklist.delete");
        JsonNode body = Json.MAPPER.readTree(result.value());
        assertThat(body.get("status").asText()).isEqualTo("ok");
        assertThat(body.get("task").get("id").asText()).isEqualTo(TrackerSimulator.PROJECT_ID);
        assertThat(env.sandbox().requests("yandex-tracker")).hasSize(1);
        assertThat(env.sandbox().requests("yandex-tracker").get(0).query()).isEqualTo("notify=false");
        assertThat(env.sandbox().simulator(TrackerSimulator.class).entity(TrackerSimulator.PROJECT_ID).get("checklistItems")).isEmpty();
    }

    @Test
    void aLockedIssueGoesToTheDeadLetterTopicWithoutRetry() throws Exception {
        env.sandbox().simulator(TrackerSimulator.class).versionLimit(1);
        byte[] original = utf8("{\"id\":\"yt-423\",\"provider\":\"yandex-tracker\",\"taskId\":\"TEST-1\",\"title\":\"x\"}");
        TestKafka.produce(env.bundle().topic("task.update"), utf8("TEST-1"), original, Map.of());

        ConsumerRecord<byte[], byte[]> dead = Records.readUntil(env.bundle().topic("task.dlq"),
                records -> records.stream().anyMatch(r -> "yt-423".equals(Records.header(r, "task.command-id"))),
                Duration.ofSeconds(30)).stream().filter(r -> "yt-423".equals(Records.header(r, "task.command-id")))
                .findFirst().orElseThrow();
        assertThat(dead.value()).isEqualTo(original);
        assertThat(Records.header(dead, "task.error.reason")).isEqualTo("rejected");
        assertThat(Records.header(dead, "task.error.message")).contains("version limit").doesNotContain(TrackerSimulator.TOKEN);
        assertThat(Records.header(dead, "task.error.http-status")).isEqualTo("423");
        assertThat(Records.header(dead, "task.error.attempts")).isEqualTo("1");
        assertThat(env.sandbox().requests("yandex-tracker")).hasSize(1);
    }
}
