package io.taskroutes.app;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import com.fasterxml.jackson.databind.JsonNode;
import io.taskroutes.command.Json;

/**
 * {@code java -jar task-routes.jar send <operation> '<json>' [--key K (default: taskId)] [--brokers B] [--topic T]
 * [--result-topic T] [--timeout SECONDS]}: produces one command and prints its result record.
 * Without {@code --brokers} it uses TASKS_KAFKA_BROKERS, else the broker of a running dev profile.
 */
public final class SendCommand {

    private SendCommand() {
    }

    public static int run(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: send <operation> '<command json>' [--key K] [--brokers B] [--topic T] [--result-topic T] [--timeout SECONDS]");
            return 2;
        }
        String operation = args[1];
        byte[] value = args[2].getBytes(StandardCharsets.UTF_8);
        String key = option(args, "--key", null);
        String topic = option(args, "--topic", operation);
        String resultTopic = option(args, "--result-topic", "task.results");
        Duration timeout = Duration.ofSeconds(Long.parseLong(option(args, "--timeout", "60")));
        String brokers = DevEnvironment.brokers(option(args, "--brokers", null)).orElse(null);
        if (brokers == null) {
            System.err.println("no broker: pass --brokers, set TASKS_KAFKA_BROKERS, or start the dev profile first");
            return 2;
        }
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProps(brokers));
             KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProps(brokers))) {
            // Fix the result topic's end before sending, so the answer cannot slip past us. A result topic that
            // does not exist yet is created by the bundle's first result: then read it from the beginning.
            List<TopicPartition> partitions = resultPartitions(consumer, resultTopic);
            boolean existed = !partitions.isEmpty();
            if (existed) {
                consumer.assign(partitions);
                consumer.seekToEnd(partitions);
                partitions.forEach(consumer::position);
            }

            if (key == null) {
                key = defaultKey(value);
            }
            byte[] keyBytes = key.getBytes(StandardCharsets.UTF_8);
            RecordMetadata sent = producer.send(new ProducerRecord<>(topic, keyBytes, value)).get();
            String commandId = commandId(value, sent);
            System.err.println("sent " + operation + " to " + topic + "-" + sent.partition() + "@" + sent.offset()
                    + ", waiting for the result of " + commandId);

            Instant deadline = Instant.now().plus(timeout);
            while (Instant.now().isBefore(deadline)) {
                if (!existed) {
                    partitions = resultPartitions(consumer, resultTopic);
                    if (partitions.isEmpty()) {
                        continue;
                    }
                    consumer.assign(partitions);
                    consumer.seekToBeginning(partitions);
                    existed = true;
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    Header id = record.headers().lastHeader("task.command-id");
                    if (id != null && commandId.equals(new String(id.value(), StandardCharsets.UTF_8))) {
                        JsonNode result = Json.MAPPER.readTree(record.value());
                        System.out.println(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(result));
                        return "ok".equals(result.path("status").asText()) ? 0 : 1;
                    }
                }
            }
            System.err.println("no result for " + commandId + " within " + timeout.toSeconds() + " s");
            return 3;
        }
    }

    private static List<TopicPartition> resultPartitions(KafkaConsumer<byte[], byte[]> consumer, String topic) {
        List<TopicPartition> partitions = new ArrayList<>();
        consumer.partitionsFor(topic, Duration.ofSeconds(5)).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
        return partitions;
    }

    /** The record key should be the task id (commands with the same key apply in order); else the command id. */
    private static String defaultKey(byte[] value) {
        try {
            JsonNode command = Json.MAPPER.readTree(value);
            for (String field : new String[] {"taskId", "id"}) {
                JsonNode v = command.get(field);
                if (v != null && (v.isTextual() || v.isIntegralNumber())) {
                    return v.asText();
                }
            }
        } catch (Exception notJson) {
            // an invalid command still needs a key to get its explained result
        }
        return UUID.randomUUID().toString();
    }

    private static String commandId(byte[] value, RecordMetadata sent) {
        try {
            JsonNode id = Json.MAPPER.readTree(value).get("id");
            if (id != null && (id.isTextual() || id.isIntegralNumber())) {
                return id.asText();
            }
        } catch (Exception notJson) {
            // an invalid command still gets a result, under its topic-partition-offset id
        }
        return sent.topic() + "-" + sent.partition() + "-" + sent.offset();
    }

    private static String option(String[] args, String name, String fallback) {
        for (int i = 3; i < args.length - 1; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }

    private static Properties consumerProps(String brokers) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "task-routes-send-" + UUID.randomUUID());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return p;
    }

    private static Properties producerProps(String brokers) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return p;
    }
}
