package io.taskroutes.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.taskroutes.testsupport.TestKafka;

/** The in-process broker is a real Kafka broker: clients produce and consume, its data survives a restart. */
class EmbeddedKafkaBrokerTest {

    @Test
    void startsProducesConsumesAndFreesItsPortsOnClose() throws Exception {
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start();
        int port = broker.port();
        int controllerPort = broker.controllerPort();
        Path logDir = broker.logDir();
        try {
            System.out.println("embedded Kafka broker started in " + broker.startupTime().toMillis() + " ms");
            assertThat(broker.bootstrapServers()).isEqualTo("127.0.0.1:" + port);
            assertThat(Files.exists(logDir.resolve("meta.properties"))).isTrue();

            broker.createTopic("smoke", 3);
            broker.createTopic("smoke", 3); // idempotent
            assertThatThrownBy(() -> broker.createTopic("smoke", 2))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("exists with 3 partitions");
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
                assertThat(admin.describeTopics(Set.of("smoke")).allTopicNames().get().get("smoke").partitions()).hasSize(3);
            }

            try (KafkaProducer<byte[], byte[]> producer = producer(broker.bootstrapServers())) {
                ProducerRecord<byte[], byte[]> record = new ProducerRecord<>("smoke", 2, utf8("k"), utf8("hello"));
                record.headers().add("h", utf8("v"));
                RecordMetadata sent = producer.send(record).get();
                assertThat(sent.partition()).isEqualTo(2);
            }
            List<ConsumerRecord<byte[], byte[]>> got = consume(broker.bootstrapServers(), "smoke", 1);
            assertThat(got).hasSize(1);
            assertThat(got.get(0).partition()).isEqualTo(2);
            assertThat(new String(got.get(0).key(), StandardCharsets.UTF_8)).isEqualTo("k");
            assertThat(new String(got.get(0).value(), StandardCharsets.UTF_8)).isEqualTo("hello");
            assertThat(new String(got.get(0).headers().lastHeader("h").value(), StandardCharsets.UTF_8)).isEqualTo("v");
        } finally {
            broker.close();
        }

        assertPortFree(port);
        assertPortFree(controllerPort);
        assertThat(logDir).as("the temp dir start() created").doesNotExist();
        broker.close(); // a second close is a no-op
    }

    @Test
    void restartOnTheSameLogDirKeepsTopicsAndRecords(@TempDir Path dir) throws Exception {
        Path logDir = dir.resolve("kafka");
        int port;
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(logDir, 0)) {
            port = broker.port();
            broker.createTopic("durable", 3);
            try (KafkaProducer<byte[], byte[]> producer = producer(broker.bootstrapServers())) {
                for (int partition = 0; partition < 3; partition++) {
                    producer.send(new ProducerRecord<>("durable", partition, utf8("k" + partition), utf8("v" + partition))).get();
                }
            }
        }
        assertPortFree(port);
        assertThat(logDir.resolve("meta.properties")).as("a caller's dir is kept").exists();

        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(logDir, port)) {
            System.out.println("embedded Kafka broker restarted in " + broker.startupTime().toMillis() + " ms");
            assertThat(broker.port()).isEqualTo(port);
            broker.createTopic("durable", 3); // already there: accepted as is
            List<ConsumerRecord<byte[], byte[]>> got = consume(broker.bootstrapServers(), "durable", 3);
            assertThat(got).extracting(r -> new String(r.value(), StandardCharsets.UTF_8))
                    .containsExactlyInAnyOrder("v0", "v1", "v2");
            assertThat(got).allSatisfy(r -> assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo("k" + r.partition()));
        }
        assertThat(logDir.resolve("meta.properties")).exists();
    }

    @Test
    void sharedTestBrokerRoundTripsRecordsAndNamesAShortfall() {
        String topic = "test-kafka-" + UUID.randomUUID();
        TestKafka.createTopic(topic, 2);
        Map<String, byte[]> headers = new LinkedHashMap<>();
        headers.put("first", utf8("1"));
        headers.put("second", utf8("2"));
        TestKafka.produce(topic, utf8("key"), utf8("value"), headers);

        List<ConsumerRecord<byte[], byte[]>> got = TestKafka.consume(topic, 1, Duration.ofSeconds(30));
        assertThat(got).hasSize(1);
        assertThat(got.get(0).key()).isEqualTo(utf8("key"));
        assertThat(got.get(0).value()).isEqualTo(utf8("value"));
        assertThat(got.get(0).headers().toArray()).extracting(h -> h.key()).containsExactly("first", "second");
        assertThat(TestKafka.bootstrap()).startsWith("127.0.0.1:");

        assertThatThrownBy(() -> TestKafka.consume(topic, 2, Duration.ofSeconds(2)))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("expected 2 record(s) on " + topic)
                .hasMessageContaining("but 1 arrived");
    }

    @Test
    void clusterIdsNeverLookLikeAnOption() {
        for (int i = 0; i < 1000; i++) {
            assertThat(EmbeddedKafkaBroker.clusterId()).doesNotStartWith("-").hasSize(22);
        }
    }

    private static KafkaProducer<byte[], byte[]> producer(String bootstrap) {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName()));
    }

    private static List<ConsumerRecord<byte[], byte[]>> consume(String bootstrap, String topic, int expected) {
        List<ConsumerRecord<byte[], byte[]>> got = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "embedded-broker-test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName()))) {
            consumer.subscribe(List.of(topic));
            await().atMost(Duration.ofSeconds(30)).pollInSameThread().pollInterval(Duration.ofMillis(10)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(got::add);
                return got.size() >= expected;
            });
        }
        return got;
    }

    private static void assertPortFree(int port) throws IOException {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"))) {
            assertThat(socket.getLocalPort()).isEqualTo(port);
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
