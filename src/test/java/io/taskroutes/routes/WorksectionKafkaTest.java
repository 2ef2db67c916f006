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
import io.taskroutes.sandbox.WorksectionSimulator;
import io.taskroutes.testsupport.Records;
import io.taskroutes.testsupport.SandboxBundle;
import io.taskroutes.testsupport.TestKafka;

/** Worksection commands on Kafka against a real broker: a result record, and an HTTP-200 error on the DLQ. */
class WorksectionKafkaTest {

    @RegisterExtension
    static final SandboxBundle env = new SandboxBundle(Map.of("tasks.retry.max-attempts", "2"));

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aCommentCommandYieldsAResultRecord() throws Exception {
        TestKafka.produce(env.bundle().topic("task.comment"), utf8("1004"),
                utf8("{\"id\":\"ws-ok\",\"provider\":\"worksection\",\"taskId\":\"1004\",\"text\":\"From Kafka\"}"), Map.of());

        ConsumerRecord<byte[], byte[]> result = Records.byCommandId(env.bundle().topic("task.results"), Set.of("ws-ok"),
                Duration.ofSeconds(30)).get("ws-ok");
        assertThat(new String(result.key(), StandardCharsets.UTF_8)).isEqualTo("1004");
        assertThat(Records.header(result, "task.provider")).isEqualTo("worksection");
        assertThat(Records.header(result, "task.operation")).isEqualTo("task.comment");
        JsonNode body = Json.MAPPER.readTree(result.value());
        assertThat(body.get("status").asText()).isEqualTo("ok");
        assertThat(env.sandbox().requests("worksection")).hasSize(1);
        assertThat(env.sandbox().simulator(WorksectionSimulator.class).comments("1004")).hasSize(1);
    }

    @Test
    void closingAClosedTaskGoesToTheDeadLetterTopicWithoutRetry() throws Exception {
        byte[] original = utf8("{\"id\":\"ws-12\",\"provider\":\"worksection\",\"taskId\":\"1001\",\"status\":\"closed\"}");
        TestKafka.produce(env.bundle().topic("task.update"), utf8("1001"), original, Map.of());

        ConsumerRecord<byte[], byte[]> dead = Records.readUntil(env.bundle().topic("task.dlq"),
                records -> records.stream().anyMatch(r -> "ws-12".equals(Records.header(r, "task.command-id"))),
                Duration.ofSeconds(30)).stream().filter(r -> "ws-12".equals(Records.header(r, "task.command-id")))
                .findFirst().orElseThrow();
        assertThat(dead.value()).isEqualTo(original);
        assertThat(Records.header(dead, "task.error.reason")).isEqualTo("rejected");
        assertThat(Records.header(dead, "task.error.message")).contains("error 12: Task is already closed")
                .doesNotContain(WorksectionSimulator.API_KEY);
        assertThat(Records.header(dead, "task.error.http-status")).isEqualTo("200");
        assertThat(Records.header(dead, "task.error.attempts")).isEqualTo("1");
        assertThat(env.sandbox().requests("worksection")).hasSize(1);
    }
}
