package io.taskroutes.kafka;

import java.util.TreeSet;

import org.apache.kafka.common.TopicPartition;

/**
 * The records of one partition that were handed to the lanes and not yet finished. The offset that may be
 * committed is the lowest unfinished one (or the one after the last accepted when all are finished): a crash
 * then re-reads every record whose result or dead letter was not written, and nothing before it.
 * Not thread-safe: {@link KeyOrderedLanes} guards it with its lock.
 */
final class OffsetWindow {

    private final TopicPartition partition;
    private final TreeSet<Long> unfinished = new TreeSet<>();
    private long next;
    private long committed;

    OffsetWindow(TopicPartition partition, long firstOffset) {
        this.partition = partition;
        this.next = firstOffset;
        // the consumer started reading here, so this offset is what the group has committed already
        this.committed = firstOffset;
    }

    TopicPartition partition() {
        return partition;
    }

    /** False for an offset seen before: re-fetched after a rebalance kept the partition here, or after a seek. */
    boolean accept(long offset) {
        if (offset < next) {
            return false;
        }
        unfinished.add(offset);
        next = offset + 1;
        return true;
    }

    void finish(long offset) {
        unfinished.remove(offset);
    }

    /** The offset to commit: everything below it is finished. */
    long committable() {
        return unfinished.isEmpty() ? next : unfinished.first();
    }

    boolean hasUncommitted() {
        return committable() > committed;
    }

    void committed(long offset) {
        committed = Math.max(committed, offset);
    }

    int unfinishedCount() {
        return unfinished.size();
    }
}
