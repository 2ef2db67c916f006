package io.taskroutes.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.ExchangeBuilder;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.apache.camel.support.service.ServiceSupport;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.taskroutes.TaskConstants;

/**
 * Key-ordered concurrency for the Kafka consumers. The consumer thread only {@link #accept hands a record over};
 * records with the same partition and key form a lane and run one at a time in offset order, while different
 * lanes run concurrently up to a global and a per-provider limit (the provider calls themselves are limited to
 * {@code tasks.kafka.max-in-flight} by {@link io.taskroutes.dispatch.CallPermits}). A record is finished once its
 * result (or dead letter) is written; {@link LaneConsumerListener} then commits, on the consumer's own thread,
 * up to the lowest unfinished record of each partition, and pauses the consumer while too many records wait.
 * Nothing in Camel or Kafka schedules by key, so this is the one scheduler the bundle writes itself.
 */
public final class KeyOrderedLanes extends ServiceSupport implements CamelContextAware {

    /** The route a worker sends each record through: the command, then its result record. */
    public static final String COMMAND_ROUTE = "direct:kafka-command";

    private static final Logger LOG = LoggerFactory.getLogger(KeyOrderedLanes.class);
    private static final long FIRST_RETRY_MS = 500;
    private static final long MAX_RETRY_MS = 10_000;

    /**
     * @param maxRunning    commands running at once in this instance (their provider calls are limited apart),
     *                      including those whose writes are not yet acknowledged
     * @param threads       worker threads: a command holds one only while it runs through the route, not while its
     *                      writes are out, so fewer than {@code maxRunning} are needed
     * @param maxBuffered   records accepted and unfinished before the consumers pause (they resume at half)
     * @param maxBufferedBytes the same cap on their key and value bytes
     * @param providerLimit in-flight limit of a provider, or null for only the global one
     * @param providerOf    the provider a record's command names (null if it cannot tell), for the per-provider limit
     */
    public record Settings(int maxRunning, int threads, int maxBuffered, long maxBufferedBytes, Function<String, Integer> providerLimit,
                           Function<byte[], String> providerOf, Duration drainTimeout) {
        public Settings {
            if (maxRunning < 1 || threads < 1 || maxBuffered < 1 || maxBufferedBytes < 1) {
                throw new IllegalArgumentException("tasks.kafka.max-in-flight, max-buffered and max-buffered-bytes must be at least 1");
            }
        }
    }

    private record LaneKey(TopicPartition partition, String key) {
    }

    private record Item(KafkaOrigin origin, String operation, String provider, OffsetWindow window) {
    }

    private static final class Lane {
        final LaneKey key;
        final ArrayDeque<Item> items = new ArrayDeque<>();
        boolean queued;
        boolean running;
        int failures;

        Lane(LaneKey key) {
            this.key = key;
        }
    }

    private final Settings settings;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Map<LaneKey, Lane> lanes = new HashMap<>();
    private final ArrayDeque<Lane> ready = new ArrayDeque<>();
    private final Map<TopicPartition, OffsetWindow> windows = new HashMap<>();
    private final Map<String, Integer> inFlightByProvider = new HashMap<>();
    private final Map<String, Integer> providerLimits = new HashMap<>();
    private int inFlight;
    private int buffered;
    private long bufferedBytes;
    private boolean stopping;

    private CamelContext camelContext;
    private ProducerTemplate template;
    private ExecutorService workers;
    private ScheduledExecutorService retries;

    public KeyOrderedLanes(Settings settings) {
        this.settings = settings;
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
    }

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }

    /** Drains before Camel stops any consumer, so a graceful stop commits what was finished. */
    public EventNotifierSupport drainOnStop() {
        return new EventNotifierSupport() {
            @Override
            public void notify(CamelEvent event) {
                drain(settings.drainTimeout());
            }

            @Override
            public boolean isEnabled(CamelEvent event) {
                return event.getType() == CamelEvent.Type.CamelContextStopping;
            }
        };
    }

    @Override
    protected void doStart() {
        template = camelContext.createProducerTemplate();
        workers = camelContext.getExecutorServiceManager().newFixedThreadPool(this, "TaskLanes", settings.threads());
        retries = camelContext.getExecutorServiceManager().newSingleThreadScheduledExecutor(this, "TaskLanesRetry");
    }

    @Override
    protected void doStop() throws Exception {
        drain(settings.drainTimeout());
        camelContext.getExecutorServiceManager().shutdownGraceful(workers);
        camelContext.getExecutorServiceManager().shutdownNow(retries);
        template.stop();
    }

    /** Consumer thread: track the record and queue it on its lane; returns at once. */
    public void accept(Exchange exchange) {
        KafkaOrigin origin = exchange.getProperty(TaskConstants.KAFKA_ORIGIN, KafkaOrigin.class);
        // set by the consumer route of the record's topic
        String operation = exchange.getProperty(TaskConstants.OPERATION, String.class);
        String provider = settings.providerOf().apply(origin.value());
        TopicPartition partition = new TopicPartition(origin.topic(), origin.partition());
        lock.lock();
        try {
            if (stopping) {
                return; // left uncommitted: whoever owns the partition next reads it
            }
            OffsetWindow window = windows.computeIfAbsent(partition, p -> new OffsetWindow(p, origin.offset()));
            if (!window.accept(origin.offset())) {
                return; // already here: re-fetched from the committed offset after a rebalance kept the partition
            }
            // a record without a key is refused later (dead letter); it gets a lane of its own
            String key = origin.key() == null ? "\0offset-" + origin.offset() : new String(origin.key(), StandardCharsets.ISO_8859_1);
            Lane lane = lanes.computeIfAbsent(new LaneKey(partition, key), Lane::new);
            lane.items.add(new Item(origin, operation, provider == null ? "" : provider, window));
            buffered++;
            bufferedBytes += size(origin);
            if (!lane.running && !lane.queued) {
                lane.queued = true;
                ready.add(lane);
            }
            schedule();
        } finally {
            lock.unlock();
        }
    }

    /** Starts queued lanes while the global limit and the lane's provider limit allow. Holds the lock. */
    private void schedule() {
        Iterator<Lane> it = ready.iterator();
        while (inFlight < settings.maxRunning() && it.hasNext()) {
            Lane lane = it.next();
            Item head = lane.items.peek();
            if (head == null) {
                it.remove();
                lane.queued = false;
                continue;
            }
            Integer limit = providerLimit(head.provider());
            int running = inFlightByProvider.getOrDefault(head.provider(), 0);
            if (limit != null && running >= limit) {
                continue; // this provider is full; a lane of another provider may start
            }
            it.remove();
            lane.queued = false;
            lane.running = true;
            inFlight++;
            inFlightByProvider.put(head.provider(), running + 1);
            workers.execute(() -> run(lane, head));
        }
    }

    private Integer providerLimit(String provider) {
        if (provider.isEmpty()) {
            return null;
        }
        return providerLimits.computeIfAbsent(provider, p -> {
            Integer limit = settings.providerLimit().apply(p);
            return limit == null ? Integer.MAX_VALUE : limit;
        });
    }

    /**
     * Worker thread: one record through the command route. The route does not wait for the record's writes (its
     * command state, result or dead letter); the record finishes when they are acknowledged, and until then its lane
     * stays busy, so the next record of the key starts only after this one is answered.
     */
    private void run(Lane lane, Item item) {
        CompletableFuture<Void> writes;
        try {
            Exchange exchange = ExchangeBuilder.anExchange(camelContext)
                    .withBody(item.origin().value())
                    .withProperty(TaskConstants.KAFKA_ORIGIN, item.origin())
                    .withProperty(TaskConstants.OPERATION, item.operation())
                    .build();
            template.send(COMMAND_ROUTE, exchange);
            if (exchange.getException() != null) {
                // only a command-state or result write can fail here; everything else became a dead letter
                writes = CompletableFuture.failedFuture(exchange.getException());
            } else {
                CompletableFuture<Void> pending = KafkaOutbound.pending(exchange);
                writes = pending != null ? pending : CompletableFuture.completedFuture(null);
            }
        } catch (RuntimeException e) {
            writes = CompletableFuture.failedFuture(e);
        }
        writes.whenComplete((ignored, failure) -> finished(lane, item, failure));
    }

    /** The record's writes completed (on the producer's thread) or failed: the lane moves on or retries it. */
    private void finished(Lane lane, Item item, Throwable failure) {
        if (failure != null) {
            Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                    ? failure.getCause() : failure;
            LOG.warn("Record {} not answered, retrying it: {}", item.origin(), cause.toString());
        }
        lock.lock();
        try {
            inFlight--;
            inFlightByProvider.merge(item.provider(), -1, Integer::sum);
            if (failure == null) {
                lane.failures = 0;
                lane.items.poll();
                buffered--;
                bufferedBytes -= size(item.origin());
                item.window().finish(item.origin().offset());
                release(lane);
            } else {
                // the lane keeps its head and waits: later records of this key must not overtake it
                long delay = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS << Math.min(lane.failures++, 10));
                retries.schedule(() -> retry(lane), delay, TimeUnit.MILLISECONDS);
            }
            schedule();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void retry(Lane lane) {
        lock.lock();
        try {
            release(lane);
            schedule();
        } finally {
            lock.unlock();
        }
    }

    /** A lane that finished a record queues again if it has more, else it is forgotten. Holds the lock. */
    private void release(Lane lane) {
        lane.running = false;
        if (lane.items.isEmpty()) {
            lanes.remove(lane.key);
        } else if (!lane.queued) {
            lane.queued = true;
            ready.add(lane);
        }
    }

    /**
     * Consumer thread, after each poll: the offsets to commit for the partitions this consumer holds. Windows of
     * partitions it no longer holds are dropped with their records that have not started (the new owner reads
     * them from the committed offset); records already running finish, but their offsets are not committed here.
     */
    Map<TopicPartition, OffsetAndMetadata> commitsFor(Set<String> topics, Set<TopicPartition> assigned) {
        Map<TopicPartition, OffsetAndMetadata> commits = new HashMap<>();
        lock.lock();
        try {
            Iterator<OffsetWindow> it = windows.values().iterator();
            while (it.hasNext()) {
                OffsetWindow window = it.next();
                if (!topics.contains(window.partition().topic())) {
                    continue; // another consumer's
                }
                if (!assigned.contains(window.partition())) {
                    it.remove();
                    dropUnstarted(window);
                } else if (window.hasUncommitted()) {
                    commits.put(window.partition(), new OffsetAndMetadata(window.committable()));
                }
            }
        } finally {
            lock.unlock();
        }
        return commits;
    }

    void committed(Map<TopicPartition, OffsetAndMetadata> commits) {
        lock.lock();
        try {
            commits.forEach((partition, offset) -> {
                OffsetWindow window = windows.get(partition);
                if (window != null) {
                    window.committed(offset.offset());
                }
            });
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void dropUnstarted(OffsetWindow window) {
        Iterator<Lane> it = lanes.values().iterator();
        while (it.hasNext()) {
            Lane lane = it.next();
            if (!lane.key.partition().equals(window.partition())) {
                continue;
            }
            boolean first = true;
            for (Iterator<Item> items = lane.items.iterator(); items.hasNext(); ) {
                Item item = items.next();
                boolean started = first && lane.running;
                first = false;
                if (item.window() == window && !started) {
                    items.remove(); // the window itself is gone: nothing to mark in it
                    buffered--;
                    bufferedBytes -= size(item.origin());
                }
            }
            if (lane.items.isEmpty() && !lane.running) {
                it.remove();
                if (lane.queued) {
                    ready.remove(lane);
                    lane.queued = false;
                }
            }
        }
        changed.signalAll();
    }

    /** Records accepted and not finished have reached the cap: the consumers pause. */
    boolean isFull() {
        lock.lock();
        try {
            return buffered >= settings.maxBuffered() || bufferedBytes >= settings.maxBufferedBytes();
        } finally {
            lock.unlock();
        }
    }

    /** Back under half the cap: paused consumers resume. */
    boolean hasRoom() {
        lock.lock();
        try {
            return buffered <= settings.maxBuffered() / 2 && bufferedBytes <= settings.maxBufferedBytes() / 2;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Stops taking records, lets the accepted ones finish and waits until the consumer threads committed them,
     * at most {@code timeout}; what is left is simply not committed and read again by the next owner.
     */
    void drain(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            if (stopping) {
                return;
            }
            stopping = true;
            while (buffered > 0 && awaitUntil(deadline)) {
                // woken by every finished record
            }
            while (windows.values().stream().anyMatch(OffsetWindow::hasUncommitted) && awaitUntil(deadline)) {
                // woken by every commit on a consumer thread
            }
            if (buffered > 0) {
                LOG.warn("Stopping with {} Kafka records unfinished after {}; they stay uncommitted and are read again",
                        buffered, timeout);
            }
        } finally {
            lock.unlock();
        }
    }

    private boolean awaitUntil(long deadline) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            return false;
        }
        try {
            changed.awaitNanos(left);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static long size(KafkaOrigin origin) {
        return (origin.value() == null ? 0 : origin.value().length) + (origin.key() == null ? 0 : origin.key().length);
    }

    /** Commands running now and records waiting behind them, for tests and diagnostics. */
    public int inFlight() {
        lock.lock();
        try {
            return inFlight;
        } finally {
            lock.unlock();
        }
    }

    public int buffered() {
        lock.lock();
        try {
            return buffered;
        } finally {
            lock.unlock();
        }
    }
}
