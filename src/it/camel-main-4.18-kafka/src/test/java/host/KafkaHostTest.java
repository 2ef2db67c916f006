package host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.camel.main.Main;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.AppInfoParser;
import org.junit.jupiter.api.Test;

import io.taskroutes.sandbox.EmbeddedKafkaBroker;
import io.taskroutes.sandbox.ProviderSandbox;

/**
 * The bundle's Kafka consumers in a Camel Main 4.18 host: a command produced to the host's topic comes back as a
 * result record on the host's result topic, from a real broker, through the host's own kafka-clients.
 */
class KafkaHostTest {

    @Test
    void aCommandOnTheTopicComesBackAsAResultRecord() throws Exception {
        assertEquals("3.9.1", AppInfoParser.getVersion(), "the host's kafka-clients");
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(); ProviderSandbox sandbox = ProviderSandbox.start()) {
            for (String topic : List.of("host.delete", "host.results", "host.dlq")) {
                broker.createTopic(topic, 1);
            }
            Main main = new Main();
            main.addOverrideProperty("tasks.kafka.brokers", broker.bootstrapServers());
            sandbox.clientProperties().forEach(main::addOverrideProperty);
            main.start();
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                    ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                    ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName()));
                 KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                    ConsumerConfig.GROUP_ID_CONFIG, "host-reader",
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                    ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                    ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName()))) {
                producer.send(new ProducerRecord<>("host.delete", "gsvyz98boa",
                        "{\"id\":\"k-1\",\"provider\":\"pixflow\",\"taskId\":\"gsvyz98boa\"}")).get(30, TimeUnit.SECONDS);

                consumer.subscribe(List.of("host.results"));
                ConsumerRecord<String, String> result = null;
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (result == null && System.nanoTime() < deadline) {
                    for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                        result = r;
                    }
                }
                assertTrue(result != null, "no result record within 60 s");
                assertEquals("gsvyz98boa", result.key());
                assertTrue(result.value().contains("\"status\":\"ok\"") && result.value().contains("\"commandId\":\"k-1\""), result.value());
                assertEquals("k-1", new String(result.headers().lastHeader("task.command-id").value(), StandardCharsets.UTF_8));
                assertEquals(1, sandbox.requests("pixflow").size());
            } finally {
                main.stop();
            }
        }
    }
}
