package io.taskroutes.routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;
import io.taskroutes.command.Json;
import io.taskroutes.sandbox.ProviderSandbox;
import io.taskroutes.sandbox.RecordedRequest;
import io.taskroutes.testsupport.Records;
import io.taskroutes.testsupport.SandboxBundle;
import io.taskroutes.testsupport.TestKafka;

/** The Kafka side against a real broker: result records, dead letters, poison records, header hygiene. */
class KafkaRoutesTest {

    @RegisterExtension
    static final SandboxBundle env = new SandboxBundle(Map.of("tasks.retry.max-attempts", "2"));

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        return Records.header(record, name);
    }

    private static JsonNode json(byte[] value) throws Exception {
        return Json.MAPPER.readTree(value);
    }

    private static Map<String, ConsumerRecord<byte[], byte[]>> awaitResults(String... commandIds) {
        return Records.byCommandId(env.bundle().topic("task.results"), Set.of(commandIds), Duration.ofSeconds(30));
    }

    private static ConsumerRecord<byte[], byte[]> awaitDeadLetter(Predicate<ConsumerRecord<byte[], byte[]>> which) {
        return Records.readUntil(env.bundle().topic("task.dlq"), records -> records.stream().anyMatch(which), Duration.ofSeconds(30))
                .stream().filter(which).findFirst().orElseThrow();
    }

    @Test
    void aCommandOnItsTopicYieldsAResultRecordWithTheSameKeyAndTheContractHeaders() throws Exception {
        TestKafka.produce(env.bundle().topic("task.delete"), utf8("gsvyz98boa"),
                utf8("{\"id\":\"k-ok\",\"provider\":\"pixflow\",\"taskId\":\"gsvyz98boa\"}"), Map.of());

        ConsumerRecord<byte[], byte[]> result = awaitResults("k-ok").get("k-ok");
        assertThat(new String(result.key(), StandardCharsets.UTF_8)).isEqualTo("gsvyz98boa");
        assertThat(header(result, "task.operation")).isEqualTo("task.delete");
        assertThat(header(result, "task.provider")).isEqualTo("pixflow");
        JsonNode body = json(result.value());
        assertThat(body.get("status").asText()).isEqualTo("ok");
        assertThat(body.get("commandId").asText()).isEqualTo("k-ok");
        assertThat(env.sandbox().requests("pixflow")).hasSize(1);
    }

    @Test
    void deleteOfMissingPixflowTaskGoesToDeadLetterWithoutRetry() throws Exception {
        byte[] original = utf8("{\"id\":\"k-404\",\"provider\":\"pixflow\",\"taskId\":\"nosuchtask\"}");
        Map<String, byte[]> headers = new LinkedHashMap<>();
        headers.put("X-Trace", utf8("trace-1"));
        headers.put("Authorization", utf8("Bearer stolen-credential"));
        TestKafka.produce(env.bundle().topic("task.delete"), utf8("nosuchtask"), original, headers);

        ConsumerRecord<byte[], byte[]> dead = awaitDeadLetter(r -> "k-404".equals(header(r, "task.command-id")));
        assertThat(dead.value()).isEqualTo(original);
        assertThat(new String(dead.key(), StandardCharsets.UTF_8)).isEqualTo("nosuchtask");
        assertThat(header(dead, "X-Trace")).isEqualTo("trace-1");
        assertThat(header(dead, "Authorization")).isNull();
        assertThat(header(dead, "task.error.reason")).isEqualTo("rejected");
        assertThat(header(dead, "task.error.message")).contains("Задача не найдена");
        assertThat(header(dead, "task.error.class")).isNotBlank();
        assertThat(header(dead, "task.error.http-status")).isEqualTo("200");
        assertThat(header(dead, "task.error.attempts")).isEqualTo("1");
        assertThat(header(dead, "task.origin.topic")).isEqualTo(env.bundle().topic("task.delete"));
        assertThat(header(dead, "task.origin.partition")).isEqualTo("0");
        assertThat(header(dead, "task.origin.offset")).matches("\\d+");
        assertThat(Instant.parse(header(dead, "task.failed-at"))).isBefore(Instant.now().plusSeconds(1));
        assertThat(env.sandbox().requests("pixflow")).hasSize(1);

        ConsumerRecord<byte[], byte[]> result = awaitResults("k-404").get("k-404");
        JsonNode body = json(result.value());
        assertThat(body.get("status").asText()).isEqualTo("error");
        assertThat(body.get("error").get("reason").asText()).isEqualTo("rejected");
        assertThat(body.get("error").get("httpStatus").asInt()).isEqualTo(200);
        assertThat(header(result, "Authorization")).isNull();
    }

    @Test
    void badRecordsGoToTheDeadLetterTopicAndThePartitionKeepsFlowing() throws Exception {
        String topic = env.bundle().topic("task.delete");
        List<String> bad = List.of(
                "{not json",
                "{\"id\":\"k-noprov\",\"taskId\":\"x\"}",
                "{\"id\":\"k-unknown\",\"provider\":\"trello\",\"taskId\":\"x\"}",
                "{\"id\":\"k-notask\",\"provider\":\"pixflow\"}");
        for (String value : bad) {
            TestKafka.produce(topic, utf8("poison"), utf8(value), Map.of());
        }
        TestKafka.produce(env.bundle().topic("task.comment"), utf8("p"), utf8("{\"id\":\"k-unsup\",\"provider\":\"pixflow\",\"taskId\":\"x\",\"text\":\"t\"}"), Map.of());
        TestKafka.produce(topic, utf8("gsvyz98boa"), utf8("{\"id\":\"k-after\",\"provider\":\"pixflow\",\"taskId\":\"gsvyz98boa\"}"), Map.of());

        Map<String, ConsumerRecord<byte[], byte[]>> results = awaitResults("k-noprov", "k-unknown", "k-notask", "k-unsup", "k-after");
        assertThat(json(results.get("k-after").value()).get("status").asText()).isEqualTo("ok");
        assertThat(json(results.get("k-noprov").value()).get("error").get("message").asText()).contains("provider is required");
        assertThat(json(results.get("k-unknown").value()).get("error").get("message").asText()).contains("unknown provider 'trello'");
        assertThat(json(results.get("k-notask").value()).get("error").get("message").asText()).contains("taskId is required for task.delete");
        assertThat(json(results.get("k-unsup").value()).get("error").get("reason").asText()).isEqualTo("unsupported");
        assertThat(env.sandbox().requests("pixflow")).hasSize(1);

        // the malformed record has no id: it is known by topic-partition-offset, on the DLQ and the result topic
        ConsumerRecord<byte[], byte[]> malformed = awaitDeadLetter(r -> "{not json".equals(new String(r.value(), StandardCharsets.UTF_8)));
        assertThat(header(malformed, "task.error.reason")).isEqualTo("invalid");
        assertThat(header(malformed, "task.error.message")).contains("not valid JSON");
        String fallbackId = topic + "-0-" + header(malformed, "task.origin.offset");
        assertThat(header(malformed, "task.command-id")).isEqualTo(fallbackId);
        assertThat(json(awaitResults(fallbackId).get(fallbackId).value()).get("status").asText()).isEqualTo("error");
        for (String id : List.of("k-noprov", "k-unknown", "k-notask", "k-unsup")) {
            assertThat(header(awaitDeadLetter(r -> id.equals(header(r, "task.command-id"))), "task.error.attempts")).isEqualTo("0");
        }
    }

    @Test
    void inboundHeadersNeitherSteerTheCallNorReachTheProviderNorTheResult() throws Exception {
        Map<String, byte[]> headers = new LinkedHashMap<>();
        headers.put("CamelHttpUri", utf8("http://127.0.0.1:1/evil"));
        headers.put("CamelHttpPath", utf8("/admin"));
        headers.put("Authorization", utf8("Bearer stolen-credential"));
        headers.put("X-Injected", utf8("yes"));
        TestKafka.produce(env.bundle().topic("task.delete"), utf8("gsvyz98boa"),
                utf8("{\"id\":\"k-inject\",\"provider\":\"pixflow\",\"taskId\":\"gsvyz98boa\"}"), headers);

        ConsumerRecord<byte[], byte[]> result = awaitResults("k-inject").get("k-inject");
        assertThat(json(result.value()).get("status").asText()).isEqualTo("ok");
        RecordedRequest call = env.sandbox().requests("pixflow").get(0);
        assertThat(call.path()).isEqualTo("/pixflow/api/v1/task/delete");
        assertThat(call.header("Authorization")).isEqualTo("Bearer " + ProviderSandbox.PIXFLOW_TOKEN);
        assertThat(call.headers().keySet()).noneMatch(h -> h.startsWith("camel") || h.startsWith("kafka") || h.equals("x-injected"));
        assertThat(result.headers().toArray()).extracting(Header::key)
                .containsOnly("task.command-id", "task.operation", "task.provider");
    }
}
