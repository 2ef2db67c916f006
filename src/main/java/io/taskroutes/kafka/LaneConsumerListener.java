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
 * while the lanes hold {@code tasks.kafka.max-buffered} records (or bytes), resumes them at half, and lets the
 * command-state store forget the partitions that left.
 */
public final class LaneConsumerListener extends KafkaConsumerListener {

    private static final Logger LOG = LoggerFactory.getLogger(LaneConsumerListener.class);

    private final KeyOrderedLanes lanes;
    private final CommandStates states;
    private final long commitIntervalNanos;
    /** When each consumer (one per operation topic, each on its own thread) last committed. */
    private final Map<Consumer<?, ?>, Long> lastCommit = java.util.Collections.synchronizedMap(new java.util.WeakHashMap<>());

    /** {@code commitInterval}: a busy consumer polls far more often than its offsets need committing. */
    public LaneConsumerListener(KeyOrderedLanes lanes, CommandStates states, java.time.Duration commitInterval) {
        this.lanes = lanes;
        this.states = states;
        this.commitIntervalNanos = commitInterval.toNanos();
    }

    @Override
    public boolean afterConsume(Object polled) {
        Consumer<?, ?> consumer = (Consumer<?, ?>) polled;
        Set<TopicPartition> assigned = consumer.assignment();
        long now = System.nanoTime();
        Long last = lastCommit.get(consumer);
        // windows of partitions that left are dropped on every poll; offsets are committed at most once an interval
        Map<TopicPartition, OffsetAndMetadata> commits = lanes.commitsFor(consumer.subscription(), assigned);
        // command states of partitions that left are forgotten: restored afresh if they come back
        states.retain(consumer.subscription(), assigned);
        if (last != null && now - last < commitIntervalNanos) {
            commits = Map.of();
        }
        if (!commits.isEmpty()) {
            lastCommit.put(consumer, now);
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
