package io.taskroutes.kafka;

import java.util.Map;
import java.util.Set;

import org.apache.camel.component.kafka.consumer.errorhandler.KafkaConsumerListener;
import org.apache.camel.component.kafka.consumer.support.ProcessingResult;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hooked into every Kafka consumer through the route's {@code pausable} step, and called by camel-kafka on the
 * consumer's own thread after each poll: the only place where the (single-threaded) KafkaConsumer may commit,
 * pause and resume. Commits each partition up to its lowest unfinished record, pauses all assigned partitions
 * while the lanes hold {@code tasks.kafka.max-buffered} records (or bytes), resumes them at half.
 */
public final class LaneConsumerListener extends KafkaConsumerListener {

    private static final Logger LOG = LoggerFactory.getLogger(LaneConsumerListener.class);

    private final KeyOrderedLanes lanes;

    public LaneConsumerListener(KeyOrderedLanes lanes) {
        this.lanes = lanes;
    }

    @Override
    public boolean afterConsume(Object polled) {
        Consumer<?, ?> consumer = (Consumer<?, ?>) polled;
        Set<TopicPartition> assigned = consumer.assignment();
        Map<TopicPartition, OffsetAndMetadata> commits = lanes.commitsFor(consumer.subscription(), assigned);
        if (!commits.isEmpty()) {
            try {
                consumer.commitSync(commits);
                lanes.committed(commits);
            } catch (WakeupException | InterruptException e) {
                throw e; // camel-kafka stopping the consumer: let its poll loop see it
            } catch (KafkaException e) {
                // e.g. a rebalance in progress: the offsets stay uncommitted and are tried after the next poll
                LOG.warn("Offset commit {} failed, retried after the next poll: {}", commits, e.toString());
            }
        }
        if (lanes.isFull()) {
            if (consumer.paused().size() < assigned.size()) {
                consumer.pause(assigned);
            }
        } else if (!consumer.paused().isEmpty() && lanes.hasRoom()) {
            consumer.resume(consumer.paused());
        }
        // false would make camel-kafka drop the records it just polled
        return true;
    }

    @Override
    public boolean afterProcess(ProcessingResult result) {
        return true;
    }
}
