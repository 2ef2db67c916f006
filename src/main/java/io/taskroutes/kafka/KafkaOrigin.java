package io.taskroutes.kafka;

import java.util.Map;


/**
 * The consumed record as it arrived, kept aside before anything touches the message: the dead-letter record
 * needs its exact bytes, key and headers, and the lanes need its partition, offset and key.
 */
public record KafkaOrigin(String topic, int partition, long offset, byte[] key, byte[] value,
                          Map<String, byte[]> headers) {

    /** Contract §3: a command without {@code id} is identified by where it was read. */
    public String commandIdFallback() {
        return topic + "-" + partition + "-" + offset;
    }

    @Override
    public String toString() {
        return "KafkaOrigin[" + commandIdFallback() + "]";
    }
}
