package io.taskroutes.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.InvalidPartitionsException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import io.taskroutes.command.Json;

/**
 * The state of every data-changing Kafka command (contract §7): {@code started} is written — and acknowledged by
 * all in-sync replicas — before the provider call, {@code done} once the provider confirmed, and the entry is
 * removed (a tombstone) when the command failed without taking effect. A redelivered command found
 * {@code started} is in doubt.
 * <p>
 * Co-partitioned with the command topics, like a Kafka Streams changelog: the state of a command read from
 * partition p of topic T lives in partition p of the compacted topic {@code T + suffix} (created with T's partition
 * count), keyed by command id. An instance restores a partition's state the first time one of its records runs
 * and forgets it when the partition leaves, so it reads only the partitions it owns, and of those only the
 * de-duplication window: records newer than {@code window} and, per partition, at most {@code maxIds} ids.
 */
public final class CommandStates extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(CommandStates.class);
    private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration RESTORE_TIMEOUT = Duration.ofSeconds(120);

    /** What the store knew of a command id when it began. */
    public enum Prior {
        /** never seen (or failed before, or older than the window): run it */
        NEW,
        /** took effect: answer as a duplicate */
        DONE,
        /** began before and did not finish: it may have taken effect */
        IN_DOUBT
    }

    /** @param since when the command first began (its intent), for an in-doubt one; now for a new one */
    public record Begun(Prior prior, Instant since) {
    }

    /**
     * @param suffix     name of a command topic's state topic: the command topic plus this
     * @param window     how long a command id is remembered (also the state topics' retention)
     * @param maxIds     how many ids of one command partition are held in memory and read on restore, at most
     * @param consumer   Kafka consumer settings for restores (bootstrap servers, security)
     */
    public record Settings(String suffix, Duration window, int maxIds, Properties consumer) {
    }

    /** What one restore read: for a test or an operator, how much state an instance had to catch up on. */
    public record Restore(TopicPartition commandPartition, long fromOffset, long records, long bytes, long ids, Duration took) {
    }

    private record Entry(boolean done, long at) {
    }

    private final Settings settings;
    private final KafkaWrites writes;
    private final Map<TopicPartition, PartitionState> partitions = new ConcurrentHashMap<>();
    /** Command topic → the partition count its state topic has been seen or made to have. */
    private final Map<String, Integer> statePartitions = new ConcurrentHashMap<>();
    private final List<Restore> restores = java.util.Collections.synchronizedList(new ArrayList<>());
    private Admin admin;

    /** @param writes the bundle's one producer (acks=all, idempotent), shared with the result and dead-letter writes */
    public CommandStates(Settings settings, KafkaWrites writes) {
        this.settings = settings;
        this.writes = writes;
    }

    @Override
    protected void doStart() {
        Properties adminProps = new Properties();
        adminProps.putAll(settings.consumer());
        admin = Admin.create(adminProps);
    }

    @Override
    protected void doStop() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(5));
        }
        partitions.clear();
    }

    /**
     * Before a data-changing command calls its provider: a new one's intent is written (acknowledged) first; one
     * that took effect already, or began before without finishing, is reported so and nothing is written.
     */
    public Begun begin(KafkaOrigin origin, String commandId) {
        PartitionState state = restored(origin);
        long now = System.currentTimeMillis();
        Entry known = state.get(commandId, now - settings.window().toMillis());
        if (known != null) {
            return new Begun(known.done() ? Prior.DONE : Prior.IN_DOUBT, Instant.ofEpochMilli(known.at()));
        }
        // the intent must be on every in-sync replica before the provider is called: the one write waited for
        await(write(origin, commandId, new Entry(false, now)), commandId);
        state.put(commandId, new Entry(false, now));
        return new Begun(Prior.NEW, Instant.ofEpochMilli(now));
    }

    /**
     * The provider confirmed: once the returned write completes, a redelivery of this command is a duplicate. Until
     * then it stays {@code started} here too, so a retry of a record whose write failed is in doubt, as it should be.
     */
    public CompletableFuture<Void> done(KafkaOrigin origin, String commandId) {
        PartitionState state = restored(origin);
        Entry entry = new Entry(true, System.currentTimeMillis());
        return write(origin, commandId, entry).thenRun(() -> state.put(commandId, entry));
    }

    /** The command failed without taking effect (it is dead-lettered): a redelivery runs it as new. */
    public CompletableFuture<Void> failed(KafkaOrigin origin, String commandId) {
        PartitionState state = restored(origin);
        return write(origin, commandId, null).thenRun(() -> state.remove(commandId));
    }

    /** Forgets the partitions of {@code topics} that are no longer assigned; they are restored again if they come back. */
    public void retain(Collection<String> topics, Set<TopicPartition> assigned) {
        partitions.keySet().removeIf(tp -> topics.contains(tp.topic()) && !assigned.contains(tp));
    }

    /** The restores this instance has done, oldest first. */
    public List<Restore> restores() {
        synchronized (restores) {
            return List.copyOf(restores);
        }
    }

    public String stateTopic(String commandTopic) {
        return commandTopic + settings.suffix();
    }

    private PartitionState restored(KafkaOrigin origin) {
        TopicPartition commandPartition = new TopicPartition(origin.topic(), origin.partition());
        PartitionState state = partitions.computeIfAbsent(commandPartition, tp -> new PartitionState(settings.maxIds()));
        state.restoreOnce(() -> restore(commandPartition, state));
        return state;
    }

    private CompletableFuture<Void> write(KafkaOrigin origin, String commandId, Entry entry) {
        byte[] value = entry == null ? null : json(entry);
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(stateTopic(origin.topic()), origin.partition(),
                commandId.getBytes(StandardCharsets.UTF_8), value);
        return writes.send(record);
    }

    private static void await(CompletableFuture<Void> write, String commandId) {
        try {
            write.get(WRITE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StateUnavailableException("interrupted while writing the state of " + commandId, e);
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new StateUnavailableException("cannot write the state of " + commandId + ": " + cause, cause);
        }
    }

    private void restore(TopicPartition commandPartition, PartitionState state) {
        long started = System.nanoTime();
        String stateTopic = stateTopic(commandPartition.topic());
        ensureStateTopic(commandPartition);
        TopicPartition source = new TopicPartition(stateTopic, commandPartition.partition());
        Properties props = new Properties();
        props.putAll(settings.consumer());
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        long windowStart = System.currentTimeMillis() - settings.window().toMillis();
        long records = 0;
        long bytes = 0;
        long from;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
            consumer.assign(List.of(source));
            long end = consumer.endOffsets(List.of(source), RESTORE_TIMEOUT).get(source);
            OffsetAndTimestamp byTime = consumer.offsetsForTimes(Map.of(source, windowStart), RESTORE_TIMEOUT).get(source);
            long beginning = consumer.beginningOffsets(List.of(source), RESTORE_TIMEOUT).get(source);
            // the window, and no more than twice the ids held (each command writes started, then done)
            from = Math.max(Math.max(beginning, byTime == null ? end : byTime.offset()), end - 2L * settings.maxIds());
            consumer.seek(source, from);
            long deadline = System.nanoTime() + RESTORE_TIMEOUT.toNanos();
            while (consumer.position(source) < end) {
                if (System.nanoTime() > deadline) {
                    throw new StateUnavailableException("restoring " + source + " took longer than " + RESTORE_TIMEOUT, null);
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.offset() >= end) {
                        break;
                    }
                    records++;
                    bytes += record.serializedKeySize() + Math.max(0, record.serializedValueSize());
                    String id = new String(record.key(), StandardCharsets.UTF_8);
                    Optional<Entry> entry = parse(record.value());
                    if (entry.isEmpty()) {
                        state.remove(id);
                    } else if (entry.get().at() >= windowStart) {
                        state.put(id, entry.get());
                    }
                }
            }
        } catch (StateUnavailableException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new StateUnavailableException("cannot restore the command states of " + commandPartition + " from " + stateTopic + ": " + e, e);
        }
        Restore restore = new Restore(commandPartition, from, records, bytes, state.size(), Duration.ofNanos(System.nanoTime() - started));
        restores.add(restore);
        LOG.info("Restored the command states of {}: {} ids from {} records ({} bytes) of {} from offset {} in {} ms",
                commandPartition, restore.ids(), records, bytes, source, from, restore.took().toMillis());
    }

    /**
     * The state topic of a command topic: compacted, window-long retention, the command topic's partition count —
     * created on first use, and grown when the command topic has grown (so that partition p has its partition p).
     */
    private void ensureStateTopic(TopicPartition commandPartition) {
        String commandTopic = commandPartition.topic();
        Integer known = statePartitions.get(commandTopic);
        if (known != null && commandPartition.partition() < known) {
            return;
        }
        String stateTopic = stateTopic(commandTopic);
        try {
            int partitionCount = partitionCount(commandTopic).orElseThrow();
            Optional<Integer> existing = partitionCount(stateTopic);
            if (existing.isEmpty()) {
                NewTopic topic = new NewTopic(stateTopic, Optional.of(partitionCount), Optional.empty()).configs(Map.of(
                        TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT + "," + TopicConfig.CLEANUP_POLICY_DELETE,
                        TopicConfig.RETENTION_MS_CONFIG, String.valueOf(settings.window().toMillis())));
                admin.createTopics(List.of(topic)).all().get(RESTORE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                LOG.info("Created the state topic {} ({} partitions, like {})", stateTopic, partitionCount, commandTopic);
            } else if (existing.get() < partitionCount) {
                admin.createPartitions(Map.of(stateTopic, NewPartitions.increaseTo(partitionCount))).all()
                        .get(RESTORE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                LOG.info("Grew the state topic {} from {} to {} partitions, like {}", stateTopic, existing.get(), partitionCount, commandTopic);
            }
            statePartitions.put(commandTopic, partitionCount);
        } catch (ExecutionException e) {
            // another instance created or grew it meanwhile: the next first use looks again
            if (!(e.getCause() instanceof TopicExistsException || e.getCause() instanceof InvalidPartitionsException)) {
                throw new StateUnavailableException("cannot create or grow the state topic " + stateTopic + ": " + e.getCause(), e.getCause());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StateUnavailableException("interrupted while creating the state topic " + stateTopic, e);
        } catch (TimeoutException e) {
            throw new StateUnavailableException("no answer from the brokers while creating the state topic " + stateTopic, e);
        }
    }

    /** The topic's partition count, empty if it does not exist. */
    private Optional<Integer> partitionCount(String topic) throws ExecutionException, InterruptedException, TimeoutException {
        try {
            Map<String, TopicDescription> described = admin.describeTopics(List.of(topic)).allTopicNames()
                    .get(RESTORE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return Optional.of(described.get(topic).partitions().size());
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** {@code {"state":"started"|"done","at":<epoch ms>}}; a tombstone (null) is a command that failed. */
    private static Optional<Entry> parse(byte[] value) {
        if (value == null) {
            return Optional.empty();
        }
        JsonNode json = Json.readLenient(value);
        return Optional.of(new Entry("done".equals(json.path("state").asText()), json.path("at").asLong()));
    }

    private static byte[] json(Entry entry) {
        // two fixed fields: no JSON writer needed
        return ("{\"state\":\"" + (entry.done() ? "done" : "started") + "\",\"at\":" + entry.at() + "}").getBytes(StandardCharsets.US_ASCII);
    }

    /** One command partition's ids, newest last, at most {@code maxIds}; restored once, before first use. */
    private static final class PartitionState {
        private final LinkedHashMap<String, Entry> entries;
        private boolean restored;

        PartitionState(int maxIds) {
            this.entries = new LinkedHashMap<>(16, 0.75f, false) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
                    return size() > maxIds;
                }
            };
        }

        /** Concurrent first users wait for the one restore; a failed restore is tried again by the next user. */
        synchronized void restoreOnce(Runnable restore) {
            if (!restored) {
                entries.clear();
                restore.run();
                restored = true;
            }
        }

        synchronized Entry get(String id, long notBefore) {
            Entry entry = entries.get(id);
            return entry == null || entry.at() < notBefore ? null : entry;
        }

        synchronized void put(String id, Entry entry) {
            // re-inserted, so the order stays by last write
            entries.remove(id);
            entries.put(id, entry);
        }

        synchronized void remove(String id) {
            entries.remove(id);
        }

        synchronized int size() {
            return entries.size();
        }
    }
}
