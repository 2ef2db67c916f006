package io.taskroutes.app;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import io.cloudevents.CloudEvent;
import io.cloudevents.kafka.KafkaMessageFactory;

/**
 * {@code java -jar task-routes.jar watch [--brokers B] [--topic T] [--from-beginning] [--count N] [--timeout SECONDS]}:
 * prints task events as they arrive (committed ones only), one line each: time, type, subject, id, then the data.
 * Without {@code --brokers} it uses TASKS_KAFKA_BROKERS, else the broker of a running dev profile. Exit code 0, or 3
 * when {@code --count} events did not arrive within the timeout.
 */
final class WatchEvents {

    private WatchEvents() {
    }

    static int run(String[] args) throws Exception {
        String brokers = DevEnvironment.brokers(option(args, "--brokers", null)).orElse(null);
        if (brokers == null) {
            System.err.println("no broker: pass --brokers, set TASKS_KAFKA_BROKERS, or start the dev profile first");
            return 2;
        }
        String topic = option(args, "--topic", "task.events");
        long count = Long.parseLong(option(args, "--count", "0"));
        String timeout = option(args, "--timeout", null);
        Instant deadline = timeout == null ? Instant.MAX : Instant.now().plusSeconds(Long.parseLong(timeout));
        boolean fromBeginning = List.of(args).contains("--from-beginning");
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        // events are written in transactions: only committed ones are events
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        long seen = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p)) {
            List<TopicPartition> partitions = partitions(consumer, topic, deadline);
            consumer.assign(partitions);
            if (fromBeginning) {
                consumer.seekToBeginning(partitions);
            } else {
                consumer.seekToEnd(partitions);
            }
            partitions.forEach(consumer::position);
            System.err.println("watching " + topic + " on " + brokers + (fromBeginning ? " from the beginning" : ""));
            while (Instant.now().isBefore(deadline) && (count == 0 || seen < count)) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    System.out.println(line(record));
                    System.out.flush();
                    seen++;
                }
            }
        }
        return count == 0 || seen >= count ? 0 : 3;
    }

    static String line(ConsumerRecord<byte[], byte[]> record) {
        CloudEvent event = KafkaMessageFactory.createReader(record).toEvent();
        String data = event.getData() == null ? "" : new String(event.getData().toBytes(), StandardCharsets.UTF_8);
        return event.getTime() + " " + event.getType() + " " + event.getSubject() + " " + event.getId() + " " + data;
    }

    /** The topic's partitions; the topic appears with the first event, so wait for it. */
    private static List<TopicPartition> partitions(KafkaConsumer<byte[], byte[]> consumer, String topic, Instant deadline)
            throws InterruptedException {
        while (true) {
            List<TopicPartition> partitions = consumer.listTopics(Duration.ofSeconds(10)).getOrDefault(topic, List.of()).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).toList();
            if (!partitions.isEmpty() || Instant.now().isAfter(deadline)) {
                return partitions;
            }
            Thread.sleep(500);
        }
    }

    private static String option(String[] args, String name, String fallback) {
        for (int i = 1; i < args.length - 1; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }
}
