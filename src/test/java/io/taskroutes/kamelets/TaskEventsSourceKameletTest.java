package io.taskroutes.kamelets;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import org.apache.camel.CamelContext;
import org.apache.camel.Message;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

import io.taskroutes.testsupport.TestKafka;

/**
 * The shipped task-events-source Kamelet (loaded from the classpath) against a real Kafka broker: a route from it
 * gets the event data as a JSON String body, the ce_* attributes and content-type as String headers, and never a
 * record of an aborted transaction.
 */
class TaskEventsSourceKameletTest {

    static final String DATA = "{\"provider\":\"pyrus\",\"taskId\":\"11613\",\"task\":{\"id\":\"11613\",\"status\":\"closed\"},"
            + "\"changes\":[{\"field\":\"status\",\"from\":\"open\",\"to\":\"closed\"}],\"raw\":{\"event\":\"comment\",\"task_id\":11613}}";

    static Map<String, String> headers(String id, String type) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("ce_specversion", "1.0");
        h.put("ce_id", id);
        h.put("ce_source", "/task-routes/pyrus");
        h.put("ce_type", type);
        h.put("ce_subject", "11613");
        h.put("ce_time", "2026-01-10T09:31:00Z");
        h.put("content-type", "application/json");
        return h;
    }

    static ProducerRecord<byte[], byte[]> record(String topic, String value, Map<String, String> headers) {
        ProducerRecord<byte[], byte[]> r = new ProducerRecord<>(topic, "pyrus:11613".getBytes(StandardCharsets.UTF_8),
                value.getBytes(StandardCharsets.UTF_8));
        headers.forEach((name, v) -> r.headers().add(name, v.getBytes(StandardCharsets.UTF_8)));
        return r;
    }

    @Test
    void routeFromTheSourceReceivesCommittedEventsWithTheirCloudEventsHeaders() throws Exception {
        String topic = "task.events.kamelet-" + UUID.randomUUID();
        TestKafka.createTopic(topic, 1);
        String closedId = UUID.nameUUIDFromBytes("pyrus/11613/closed".getBytes(StandardCharsets.UTF_8)).toString();

        // written the way the bundle writes events: in transactions; the first is aborted, the second committed
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrap(),
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "kamelet-test-" + UUID.randomUUID(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName()))) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(record(topic, "{\"provider\":\"pyrus\",\"taskId\":\"11613\",\"raw\":{\"aborted\":true}}",
                    headers("aborted", "io.taskroutes.task.updated"))).get();
            producer.abortTransaction();
            producer.beginTransaction();
            producer.send(record(topic, DATA, headers(closedId, "io.taskroutes.task.closed")));
            producer.commitTransaction();
        }

        try (CamelContext host = new DefaultCamelContext()) {
            host.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("kamelet:task-events-source?brokers=" + TestKafka.bootstrap() + "&topic=" + topic
                            + "&groupId=kamelet-test-" + UUID.randomUUID())
                            .routeId("task-events-kamelet-test")
                            .to("mock:events");
                }
            });
            MockEndpoint events = host.getEndpoint("mock:events", MockEndpoint.class);
            events.expectedMessageCount(1);
            events.setResultWaitTime(Duration.ofSeconds(60).toMillis());
            host.start();

            events.assertIsSatisfied();
            // records are delivered in offset order: had the aborted one been read, it would have come first
            Message event = events.getExchanges().get(0).getMessage();
            assertThat(event.getBody()).isInstanceOf(String.class).isEqualTo(DATA);
            headers(closedId, "io.taskroutes.task.closed").forEach((name, value) ->
                    assertThat(event.getHeader(name)).as(name).isInstanceOf(String.class).isEqualTo(value));
            assertThat(event.getHeader(KafkaConstants.KEY)).isEqualTo("pyrus:11613");
        }
    }
}
