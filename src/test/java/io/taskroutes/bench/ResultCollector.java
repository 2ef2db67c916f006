package io.taskroutes.bench;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads a run's result topic from the beginning on a thread of its own and keeps, per command id (header
 * task.command-id), every result record's timestamp and whether it reported an error or a duplicate.
 */
final class ResultCollector implements AutoCloseable {

    /** One result record: its CreateTime (set by the writer's producer) and what it says. */
    record Seen(long timestamp, boolean error, boolean duplicate) {
    }

    private final String brokers;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final List<TopicPartition> partitions = new ArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile Map<TopicPartition, Long> stopAt;
    private volatile RuntimeException failure;

    // guarded by this
    private final Map<String, List<Seen>> seen = new HashMap<>();
    private Set<String> awaited = Set.of();
    private int awaitedLeft;

    ResultCollector(String brokers, String topic, int partitionCount) {
        this.brokers = brokers;
        consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName()));
        for (int p = 0; p < partitionCount; p++) {
            partitions.add(new TopicPartition(topic, p));
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        thread = new Thread(this::loop, "bench-results-" + topic);
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        try {
            while (running) {
                List<ConsumerRecord<byte[], byte[]>> batch = new ArrayList<>();
                consumer.poll(Duration.ofMillis(100)).forEach(batch::add);
                if (!batch.isEmpty()) {
                    add(batch);
                }
                Map<TopicPartition, Long> end = stopAt;
                if (end != null && end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue())) {
                    return;
                }
            }
        } catch (RuntimeException e) {
            failure = e;
        } finally {
            consumer.close(Duration.ofSeconds(5));
            synchronized (this) {
                notifyAll();
            }
        }
    }

    private synchronized void add(List<ConsumerRecord<byte[], byte[]>> batch) {
        for (ConsumerRecord<byte[], byte[]> r : batch) {
            Header h = r.headers().lastHeader("task.command-id");
            String id = h == null ? "(no command id)" : new String(h.value(), StandardCharsets.UTF_8);
            List<Seen> list = seen.computeIfAbsent(id, k -> new ArrayList<>(1));
            if (list.isEmpty() && awaited.contains(id)) {
                awaitedLeft--;
            }
            // the bundle's result JSON starts with commandId, operation, provider, taskId, status, duplicate
            String head = r.value() == null ? "" : new String(r.value(), 0, Math.min(r.value().length, 512), StandardCharsets.UTF_8);
            list.add(new Seen(r.timestamp(), head.contains("\"status\":\"error\""), head.contains("\"duplicate\":true")));
        }
        notifyAll();
    }

    /** Waits until every id has at least one result, or the deadline; true if all arrived. */
    synchronized boolean awaitAll(Collection<String> ids, long deadlineNanos) {
        awaited = new HashSet<>(ids);
        awaitedLeft = (int) awaited.stream().filter(id -> !seen.containsKey(id)).count();
        try {
            while (awaitedLeft > 0 && thread.isAlive()) {
                long left = deadlineNanos - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                wait(Math.max(1, left / 1_000_000));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        if (failure != null) {
            throw new IllegalStateException("reading results failed", failure);
        }
        return awaitedLeft == 0;
    }

    /** A copy of what arrived so far. */
    synchronized Map<String, List<Seen>> snapshot() {
        Map<String, List<Seen>> copy = new HashMap<>();
        seen.forEach((id, list) -> copy.put(id, List.copyOf(list)));
        return copy;
    }

    /** Reads on up to the topic's current end (everything written so far), then stops. */
    Map<String, List<Seen>> finish() {
        try (KafkaConsumer<byte[], byte[]> probe = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName()))) {
            stopAt = probe.endOffsets(partitions);
        }
        try {
            thread.join(Duration.ofSeconds(60).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            throw new IllegalStateException("results not read to the end within 60 s");
        }
        if (failure != null) {
            throw new IllegalStateException("reading results failed", failure);
        }
        return snapshot();
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(Duration.ofSeconds(10).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
