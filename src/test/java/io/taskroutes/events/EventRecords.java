package io.taskroutes.events;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import com.fasterxml.jackson.databind.JsonNode;
import io.taskroutes.command.Json;
import io.taskroutes.testsupport.Records;

/** The events a pipeline would see: the committed records of an events topic, read to its end. */
final class EventRecords {

    private EventRecords() {
    }

    /**
     * Every committed record of {@code topic} once no transaction on it is open: a commit returns before the broker
     * has written its markers, so right after a webhook's 200 the last stable offset may still lag; it is waited
     * for until it reaches the end of the log (read_committed end = read_uncommitted end).
     */
    static List<ConsumerRecord<byte[], byte[]>> committed(String bootstrap, String topic) {
        Properties plain = new Properties();
        plain.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        plain.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        plain.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        Properties committed = new Properties();
        committed.putAll(plain);
        committed.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<byte[], byte[]> all = new KafkaConsumer<>(plain); KafkaConsumer<byte[], byte[]> stable = new KafkaConsumer<>(committed)) {
            List<TopicPartition> partitions = all.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).toList();
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20))
                    .until(() -> stable.endOffsets(partitions).equals(all.endOffsets(partitions)));
        }
        return read(bootstrap, topic);
    }

    private static List<ConsumerRecord<byte[], byte[]>> read(String bootstrap, String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        List<ConsumerRecord<byte[], byte[]>> all = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("could not read " + topic + " to its end");
                }
                consumer.poll(Duration.ofMillis(100)).forEach(all::add);
            }
        }
        return all;
    }

    /** What the published schemas (as shipped) find wrong with these events' data and headers; empty when nothing. */
    static List<String> schemaViolations(List<ConsumerRecord<byte[], byte[]>> records) {
        com.networknt.schema.JsonSchema data = io.taskroutes.schemas.MessageSchemasTest.schema("task-event.schema.json");
        com.networknt.schema.JsonSchema headers = io.taskroutes.schemas.MessageSchemasTest.schema("task-event-headers.schema.json");
        List<String> violations = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            com.fasterxml.jackson.databind.node.ObjectNode headerNode = Json.object();
            record.headers().forEach(h -> headerNode.put(h.key(), new String(h.value(), StandardCharsets.UTF_8)));
            data.validate(data(record)).forEach(v -> violations.add(key(record) + " data: " + v.getMessage()));
            headers.validate(headerNode).forEach(v -> violations.add(key(record) + " headers: " + v.getMessage()));
        }
        return violations;
    }

    static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        return Records.header(record, name);
    }

    static String type(ConsumerRecord<byte[], byte[]> record) {
        return header(record, "ce_type");
    }

    static JsonNode data(ConsumerRecord<byte[], byte[]> record) {
        return Json.readLenient(record.value());
    }

    static String key(ConsumerRecord<byte[], byte[]> record) {
        return new String(record.key(), StandardCharsets.UTF_8);
    }

    /** Everything a record carries, as text: for "no secret in it" assertions. */
    static String everything(List<ConsumerRecord<byte[], byte[]>> records) {
        StringBuilder text = new StringBuilder();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            text.append(key(record)).append('\n').append(new String(record.value(), StandardCharsets.UTF_8)).append('\n');
            record.headers().forEach(h -> text.append(h.key()).append('=').append(new String(h.value(), StandardCharsets.UTF_8)).append('\n'));
        }
        return text.toString();
    }
}
