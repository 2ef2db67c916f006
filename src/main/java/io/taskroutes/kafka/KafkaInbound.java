package io.taskroutes.kafka;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;

import io.taskroutes.TaskConstants;

/** First step of every Kafka route: keep the record aside and leave a message with no headers at all. */
public final class KafkaInbound {

    public void capture(Exchange exchange) {
        Message message = exchange.getMessage();
        Map<String, byte[]> recordHeaders = new LinkedHashMap<>();
        message.getHeaders().forEach((name, value) -> {
            if (!HeaderHygiene.isInternal(name)) {
                recordHeaders.put(name, bytes(value));
            }
        });
        KafkaOrigin origin = new KafkaOrigin(
                message.getHeader(KafkaConstants.TOPIC, String.class),
                message.getHeader(KafkaConstants.PARTITION, Integer.class),
                message.getHeader(KafkaConstants.OFFSET, Long.class),
                bytes(message.getHeader(KafkaConstants.KEY)),
                message.getBody(byte[].class),
                recordHeaders);
        exchange.setProperty(TaskConstants.KAFKA_ORIGIN, origin);
        // nothing a producer put on the record may steer routing or reach a provider
        message.removeHeaders("*");
    }

    private static byte[] bytes(Object value) {
        if (value == null) {
            return null;
        }
        return value instanceof byte[] b ? b : String.valueOf(value).getBytes(StandardCharsets.UTF_8);
    }
}
