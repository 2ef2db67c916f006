package io.taskroutes.kafka;

import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;

import org.apache.camel.processor.idempotent.kafka.KafkaIdempotentRepository;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * The record of command ids that took effect: Camel's Kafka-backed idempotent repository on a compacted topic,
 * so it survives restarts and is shared by every instance. Camel 4.18 reads the topic to its end before the
 * repository starts (the CAMEL-20218 race: a cache declared ready before it was rebuilt), but it cannot do so
 * for a topic that does not exist yet, so the topic is created here first.
 */
public final class DoneCommands {

    private DoneCommands() {
    }

    public static KafkaIdempotentRepository repository(Function<String, Optional<String>> properties) {
        String brokers = properties.apply("tasks.kafka.brokers").orElseThrow();
        // both have library defaults (TaskDefaults)
        String topic = properties.apply("tasks.kafka.done-ids-topic").orElseThrow();
        int cacheSize = properties.apply("tasks.kafka.done-ids-cache-size").map(v -> Integer.parseInt(v.trim())).orElseThrow();
        ensureTopic(brokers, topic);

        Properties consumer = new Properties();
        consumer.put("bootstrap.servers", brokers);
        Properties producer = new Properties();
        producer.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        // a done id must be on every in-sync replica before the result is written and the offset committed
        producer.put(ProducerConfig.ACKS_CONFIG, "all");
        producer.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        // Camel's repository turns batching off (batch.size 0), which sends each id as its own request, at most
        // five at a time: with many commands in flight they queue. Batching changes nothing for one send, which
        // still waits for its acknowledgement, but lets concurrent ids share a request.
        producer.put(ProducerConfig.BATCH_SIZE_CONFIG, "65536");
        return new Repository(topic, consumer, producer, cacheSize);
    }

    /**
     * Camel 4.18's repository closes its KafkaConsumer in doStop while its background sync thread may still be
     * inside poll(); the consumer then throws ConcurrentModificationException and neither it nor the producer is
     * closed. The sync thread leaves its loop within one poll duration, so stopping again shortly after succeeds.
     */
    static final class Repository extends KafkaIdempotentRepository {

        private static final int POLL_MS = 100;

        Repository(String topic, Properties consumer, Properties producer, int cacheSize) {
            super(topic, consumer, producer, cacheSize, POLL_MS);
        }

        @Override
        protected void doStop() throws Exception {
            for (int attempt = 1; ; attempt++) {
                try {
                    super.doStop();
                    return;
                } catch (java.util.ConcurrentModificationException stillPolling) {
                    if (attempt == 20) {
                        throw stillPolling;
                    }
                    java.util.concurrent.locks.LockSupport.parkNanos(java.time.Duration.ofMillis(POLL_MS / 2).toNanos());
                }
            }
        }
    }

    private static void ensureTopic(String brokers, String topic) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, brokers))) {
            // compacted: the latest action per command id is all a restarted instance needs to read
            NewTopic done = new NewTopic(topic, Optional.of(1), Optional.empty())
                    .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
            admin.createTopics(java.util.List.of(done)).all().get();
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("cannot create the done-ids topic " + topic + ": " + e.getCause().getMessage(), e);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating the done-ids topic " + topic, e);
        }
    }
}
