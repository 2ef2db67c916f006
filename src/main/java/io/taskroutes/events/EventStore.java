package io.taskroutes.events;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.support.service.ServiceSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.kafka.KafkaMessageFactory;
import io.taskroutes.command.Json;

/**
 * Where events go and what the bundle remembers of them: per provider a cursor, per task a snapshot
 * ({@link Changes}). The state lives in a compacted topic and is read whole at start. A unit of work's events and
 * state records are written in one Kafka transaction: a consumer reading committed records sees each change's
 * event exactly when its snapshot moved, so a restart — or a crash halfway — neither loses nor repeats a change.
 * <p>
 * Events go to the events topic as CloudEvents in Kafka binary mode ({@code io.cloudevents}' Kafka binding), or,
 * when {@code tasks.events.endpoint} names a Camel endpoint, to it (the same {@code ce_*} attributes as headers,
 * before the state is written). Without Kafka ({@code tasks.kafka.brokers} unset) the state is only in memory.
 */
public final class EventStore extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(EventStore.class);
    /** Below the broker's default message.max.bytes (1 MiB), headers and key included. */
    static final int MAX_EVENT_BYTES = 900 * 1024;

    /**
     * @param producer Kafka producer settings (bootstrap servers, security); null keeps the state in memory
     * @param consumer Kafka consumer settings, for reading the state at start
     * @param endpoint a Camel endpoint for the events instead of {@code topic}; null for the topic
     */
    public record Settings(String topic, String stateTopic, String transactionalId, Properties producer, Properties consumer,
                           String endpoint, Duration writeTimeout) {
    }

    private final Settings settings;
    private final CamelContext camelContext;
    private final Map<String, ObjectNode> tasks = new ConcurrentHashMap<>();
    private final Map<String, ObjectNode> cursors = new ConcurrentHashMap<>();
    private KafkaProducer<byte[], byte[]> producer;
    private ProducerTemplate template;
    /** A commit timed out: it may or may not have happened; the state is read again before the next unit of work. */
    private volatile boolean uncertain;
    /** Another instance took the transactional id: this one writes no more events. */
    private volatile boolean fenced;

    public EventStore(CamelContext camelContext, Settings settings) {
        this.camelContext = camelContext;
        this.settings = settings;
    }

    @Override
    protected void doStart() throws Exception {
        if (settings.endpoint() != null) {
            template = camelContext.createProducerTemplate();
        }
        if (settings.producer() == null) {
            LOG.warn("task events: tasks.kafka.brokers is not set, so cursors and snapshots are kept in memory only;"
                    + " a restart takes a new baseline");
            return;
        }
        createTopics();
        // first the producer: its transactional id fences an instance still running with it and ends its open
        // transaction, so what is read next is all there will be
        producer();
        restore();
    }

    @Override
    protected void doStop() {
        closeProducer();
        if (template != null) {
            try {
                template.close();
            } catch (java.io.IOException e) {
                LOG.debug("closing the events template: {}", e.toString());
            }
        }
    }

    public ObjectNode task(String provider, String taskId) {
        return tasks.get(provider + ":" + taskId);
    }

    /** The ids of a provider's tasks with a snapshot. */
    public java.util.Set<String> taskIds(String provider) {
        String prefix = provider + ":";
        java.util.Set<String> ids = new java.util.HashSet<>();
        for (String key : tasks.keySet()) {
            if (key.startsWith(prefix)) {
                ids.add(key.substring(prefix.length()));
            }
        }
        return ids;
    }

    /** {@code {"cursor": ..., "since": ...}} of a provider, or null before its first unit of work. */
    public ObjectNode cursor(String provider) {
        return cursors.get(provider);
    }

    /**
     * Before a unit of work: after a commit whose outcome is unknown, the state is read again (a new producer ends
     * that transaction first), so the unit compares with what was really written.
     *
     * @throws EventWriteException when this instance was fenced or the state cannot be read
     */
    public synchronized void prepare() {
        if (fenced) {
            throw new EventWriteException("another instance took over transactional id " + settings.transactionalId()
                    + "; this one publishes no more events", null);
        }
        if (uncertain && settings.producer() != null) {
            try {
                producer();
                tasks.clear();
                cursors.clear();
                restore();
                uncertain = false;
            } catch (KafkaException | TimeoutException e) {
                closeProducer();
                throw new EventWriteException("task events state could not be read again: " + e.getMessage(), e);
            }
        }
    }

    /**
     * Publishes {@code events} and stores the snapshots and cursor that go with them, all or nothing; the
     * in-memory state moves only when the write succeeded. One unit of work at a time.
     *
     * @throws EventWriteException when the events or the state could not be written (nothing counts as published)
     */
    public synchronized void commit(String provider, List<TaskEvent> events, Map<String, ObjectNode> snapshots, ObjectNode cursor) {
        if (events.isEmpty() && snapshots.isEmpty() && cursor == null) {
            return;
        }
        List<ProducerRecord<byte[], byte[]>> eventRecords = new ArrayList<>();
        for (TaskEvent event : events) {
            eventRecords.add(record(event));
        }
        if (template != null) {
            deliver(eventRecords);
        }
        if (settings.producer() != null) {
            List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>(template == null ? eventRecords : List.of());
            snapshots.forEach((taskId, snapshot) -> records.add(state("task:" + provider + ":" + taskId, snapshot)));
            if (cursor != null) {
                records.add(state("cursor:" + provider, cursor));
            }
            write(records);
        }
        snapshots.forEach((taskId, snapshot) -> {
            if (snapshot == null) {
                tasks.remove(provider + ":" + taskId);
            } else {
                tasks.put(provider + ":" + taskId, snapshot);
            }
        });
        if (cursor != null) {
            cursors.put(provider, cursor);
        }
    }

    /** The CloudEvent in Kafka binary mode: the data as the value, the attributes as {@code ce_*} headers. */
    ProducerRecord<byte[], byte[]> record(TaskEvent event) {
        byte[] data = Json.writeBytes(event.data());
        if (data.length > MAX_EVENT_BYTES) {
            // a provider's huge object would fail the whole transaction again and again: the event goes without it
            ObjectNode trimmed = event.data().deepCopy();
            trimmed.remove("raw");
            trimmed.put("rawOmitted", true);
            if (Json.writeBytes(trimmed).length > MAX_EVENT_BYTES && trimmed.path("task").isObject()) {
                trimmed.set("task", Json.object().put("id", event.taskId()));
            }
            data = Json.writeBytes(trimmed);
        }
        CloudEvent cloudEvent = CloudEventBuilder.v1()
                .withId(event.id())
                .withSource(URI.create(event.source()))
                .withType(event.type().ceType())
                .withSubject(event.taskId())
                .withTime(event.time().atOffset(ZoneOffset.UTC))
                .withDataContentType("application/json")
                .withData(data)
                .build();
        return KafkaMessageFactory.<byte[]>createWriter(settings.topic(), null, null, event.key().getBytes(StandardCharsets.UTF_8))
                .writeBinary(cloudEvent);
    }

    /** To the host's endpoint: the data as the body, the same attributes as headers, the key as {@code kafka.KEY}. */
    private void deliver(List<ProducerRecord<byte[], byte[]>> records) {
        for (ProducerRecord<byte[], byte[]> record : records) {
            Exchange sent = template.send(settings.endpoint(), exchange -> {
                for (Header header : record.headers()) {
                    exchange.getIn().setHeader(header.key(), new String(header.value(), StandardCharsets.UTF_8));
                }
                exchange.getIn().setHeader("kafka.KEY", new String(record.key(), StandardCharsets.UTF_8));
                exchange.getIn().setBody(new String(record.value(), StandardCharsets.UTF_8));
            });
            if (sent.getException() != null) {
                throw new EventWriteException("the events endpoint failed: " + sent.getException().getMessage(), sent.getException());
            }
        }
    }

    private static ProducerRecord<byte[], byte[]> stateRecord(String topic, String key, ObjectNode value) {
        return new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value == null ? null : Json.writeBytes(value));
    }

    private ProducerRecord<byte[], byte[]> state(String key, ObjectNode value) {
        return stateRecord(settings.stateTopic(), key, value);
    }

    private void write(List<ProducerRecord<byte[], byte[]>> records) {
        KafkaProducer<byte[], byte[]> p;
        try {
            p = producer();
            p.beginTransaction();
            for (ProducerRecord<byte[], byte[]> record : records) {
                p.send(record);
            }
        } catch (KafkaException e) {
            throw failed(e);
        }
        for (int attempt = 1; ; attempt++) {
            try {
                p.commitTransaction();
                return;
            } catch (org.apache.kafka.common.errors.TimeoutException e) {
                // Kafka's word: a timed-out commit may be retried; after the last try nobody knows whether it happened
                if (attempt == 3) {
                    uncertain = true;
                    closeProducer();
                    throw new EventWriteException("task events: the commit timed out; the state is read again before"
                            + " the next write: " + e.getMessage(), e);
                }
            } catch (KafkaException e) {
                throw failed(e);
            }
        }
    }

    /** Not committed: fenced for good, or aborted (a new producer with the same id ends what is left). */
    private EventWriteException failed(KafkaException e) {
        if (e instanceof org.apache.kafka.common.errors.ProducerFencedException
                || e instanceof org.apache.kafka.common.errors.InvalidProducerEpochException) {
            fenced = true;
            LOG.error("task events: another instance took over transactional id {}; this one publishes no more events",
                    settings.transactionalId());
        }
        closeProducer();
        return new EventWriteException("task events could not be written to Kafka: " + e.getMessage(), e);
    }

    private KafkaProducer<byte[], byte[]> producer() {
        if (producer == null) {
            Properties props = new Properties();
            props.putAll(settings.producer());
            props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, settings.transactionalId());
            props.put(ProducerConfig.ACKS_CONFIG, "all");
            props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
            props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
            props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
            // a provider waiting for its webhook's answer gets one within the write timeout (then 5xx, and it retries)
            long timeout = settings.writeTimeout().toMillis();
            props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, String.valueOf(timeout));
            props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, String.valueOf(Math.max(1000, timeout / 2)));
            props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, String.valueOf(timeout));
            props.put(ProducerConfig.LINGER_MS_CONFIG, "0");
            props.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "task-routes-events");
            KafkaProducer<byte[], byte[]> created = new KafkaProducer<>(props);
            try {
                created.initTransactions();
            } catch (KafkaException e) {
                created.close(Duration.ZERO);
                throw e;
            }
            producer = created;
        }
        return producer;
    }

    private void closeProducer() {
        if (producer != null) {
            try {
                producer.close(Duration.ZERO);
            } catch (RuntimeException e) {
                LOG.debug("closing the events producer: {}", e.toString());
            }
            producer = null;
        }
    }

    /** The state topic compacted (one partition: read whole at start); the events topic with the broker's defaults. */
    private void createTopics() throws Exception {
        try (Admin admin = Admin.create(settings.consumer())) {
            List<NewTopic> topics = new ArrayList<>();
            topics.add(new NewTopic(settings.stateTopic(), Optional.of(1), Optional.empty())
                    .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)));
            if (settings.endpoint() == null) {
                topics.add(new NewTopic(settings.topic(), Optional.empty(), Optional.empty()));
            }
            for (NewTopic topic : topics) {
                try {
                    admin.createTopics(List.of(topic)).all().get(settings.writeTimeout().toMillis() * 3, TimeUnit.MILLISECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
        }
    }

    /** Reads the state topic to its end (committed records only). */
    private void restore() throws TimeoutException {
        Properties props = new Properties();
        props.putAll(settings.consumer());
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        long deadline = System.nanoTime() + settings.writeTimeout().toNanos() * 6;
        long records = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
            List<TopicPartition> partitions = consumer.partitionsFor(settings.stateTopic()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            // the last transaction (ours before a restart, or the one just ended by initTransactions) may still have its
            // markers on the way: read to the end of the log, once the last stable offset has reached it
            Map<TopicPartition, Long> end = stableEnd(consumer, partitions, props, deadline);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new TimeoutException("reading " + settings.stateTopic() + " took too long");
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    apply(new String(record.key(), StandardCharsets.UTF_8), record.value());
                    records++;
                }
            }
        }
        LOG.info("task events: {} state records read from {} ({} cursors, {} task snapshots)", records,
                settings.stateTopic(), cursors.size(), tasks.size());
    }

    private Map<TopicPartition, Long> stableEnd(KafkaConsumer<byte[], byte[]> committed, List<TopicPartition> partitions,
                                               Properties props, long deadline) throws TimeoutException {
        Properties uncommitted = new Properties();
        uncommitted.putAll(props);
        uncommitted.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
        try (KafkaConsumer<byte[], byte[]> all = new KafkaConsumer<>(uncommitted)) {
            while (true) {
                Map<TopicPartition, Long> stable = committed.endOffsets(partitions);
                if (stable.equals(all.endOffsets(partitions))) {
                    return stable;
                }
                if (System.nanoTime() > deadline) {
                    throw new TimeoutException(settings.stateTopic() + " has a transaction that does not end");
                }
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new TimeoutException("interrupted while reading " + settings.stateTopic());
                }
            }
        }
    }

    private void apply(String key, byte[] value) {
        if (key.startsWith("cursor:")) {
            String provider = key.substring("cursor:".length());
            if (value == null) {
                cursors.remove(provider);
            } else {
                cursors.put(provider, (ObjectNode) Json.readLenient(value));
            }
        } else if (key.startsWith("task:")) {
            String id = key.substring("task:".length());
            if (value == null) {
                tasks.remove(id);
            } else {
                tasks.put(id, (ObjectNode) Json.readLenient(value));
            }
        }
    }

    /** Events or state could not be written: nothing of the unit of work counts as published. */
    public static final class EventWriteException extends RuntimeException {
        public EventWriteException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
