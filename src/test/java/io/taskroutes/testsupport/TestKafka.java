package io.taskroutes.testsupport;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import io.taskroutes.sandbox.EmbeddedKafkaBroker;

/**
 * One real Kafka broker for the whole test JVM, started on first use and stopped by a shutdown hook. Tests share
 * it, so each gives its topics and consumer groups names of its own.
 */
public final class TestKafka {

    private TestKafka() {
    }

    /** Lazy holder: the broker starts when a test first needs it, once per JVM. */
    private static final class Shared {
        static final EmbeddedKafkaBroker BROKER = EmbeddedKafkaBroker.start();
        static final KafkaProducer<byte[], byte[]> PRODUCER = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, BROKER.bootstrapServers(),
                ProducerConfig.CLIENT_ID_CONFIG, "test-kafka-producer",
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, "0",
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, String.valueOf(16 * 1024 * 1024),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName()));

        static {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                PRODUCER.close(Duration.ofSeconds(5));
                BROKER.close();
            }, "test-kafka-shutdown"));
        }
    }

    /** {@code 127.0.0.1:PORT} of the shared broker. */
    public static String bootstrap() {
        return Shared.BROKER.bootstrapServers();
    }

    /** Creates the topic (replication factor 1) and waits until every partition has a leader. */
    public static void createTopic(String name, int partitions) {
        Shared.BROKER.createTopic(name, partitions);
    }

    /** Writes one record and waits for the broker's acknowledgement; {@code headers} are added in iteration order. */
    public static void produce(String topic, byte[] key, byte[] value, Map<String, byte[]> headers) {
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, key, value);
        if (headers != null) {
            headers.forEach((name, headerValue) -> record.headers().add(name, headerValue));
        }
        produce(record);
    }

    /** Writes one record as given (partition, timestamp) and waits for the broker's acknowledgement. */
    public static void produce(ProducerRecord<byte[], byte[]> record) {
        try {
            Shared.PRODUCER.send(record).get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while producing to " + record.topic(), e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not produce to " + record.topic(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("no acknowledgement from the broker for a record to " + record.topic(), e);
        }
    }

    /**
     * Reads the topic from the earliest offset with a fresh consumer group until at least {@code expected} records
     * have arrived; an AssertionError naming how many did if the timeout passes first.
     */
    public static List<ConsumerRecord<byte[], byte[]>> consume(String topic, int expected, Duration timeout) {
        List<ConsumerRecord<byte[], byte[]>> got = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap(),
                ConsumerConfig.GROUP_ID_CONFIG, "test-kafka-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName()))) {
            consumer.subscribe(List.of(topic));
            Instant deadline = Instant.now().plus(timeout);
            while (got.size() < expected) {
                Duration left = Duration.between(Instant.now(), deadline);
                if (left.isNegative() || left.isZero()) {
                    throw new AssertionError("expected " + expected + " record(s) on " + topic + " within " + timeout
                            + " but " + got.size() + " arrived");
                }
                consumer.poll(left.compareTo(Duration.ofMillis(200)) < 0 ? left : Duration.ofMillis(200)).forEach(got::add);
            }
        }
        return got;
    }
}
