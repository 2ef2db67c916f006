package io.taskroutes.kafka;

import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;

import org.apache.camel.CamelContext;
import org.apache.camel.support.service.ServiceSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Every record the bundle writes for a Kafka command — its command state, its result, its dead letter — goes
 * through this one producer: acks=all and idempotent, so a write counts once it is on every in-sync replica, and
 * asynchronous with a linger, so the writes of concurrent commands share produce requests instead of each waiting
 * for a request of its own. A record of the command topic counts as finished when the futures of its writes
 * complete ({@link KeyOrderedLanes}); a failed one leaves it unfinished and its lane runs it again.
 */
public final class KafkaWrites extends ServiceSupport {

    /** @param producer Kafka producer settings of the host (bootstrap servers, security, client id) */
    public record Settings(Properties producer, int batchSize, int lingerMs, int maxRequestSize) {
    }

    private final Settings settings;
    private final CamelContext camelContext;
    private KafkaProducer<byte[], byte[]> producer;
    /** Sends a write that waits for an earlier one: never on the producer's own I/O thread, where a send may block. */
    private ExecutorService chained;

    public KafkaWrites(CamelContext camelContext, Settings settings) {
        this.camelContext = camelContext;
        this.settings = settings;
    }

    @Override
    protected void doStart() {
        Properties props = new Properties();
        props.putAll(settings.producer());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(settings.batchSize()));
        props.put(ProducerConfig.LINGER_MS_CONFIG, String.valueOf(settings.lingerMs()));
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, String.valueOf(settings.maxRequestSize()));
        props.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "task-routes");
        producer = new KafkaProducer<>(props);
        chained = camelContext.getExecutorServiceManager().newSingleThreadExecutor(this, "TaskWrites");
    }

    @Override
    protected void doStop() {
        if (chained != null) {
            camelContext.getExecutorServiceManager().shutdownGraceful(chained);
        }
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
    }

    /** Completes when the record is acknowledged, exceptionally when it cannot be written. */
    public CompletableFuture<Void> send(ProducerRecord<byte[], byte[]> record) {
        CompletableFuture<Void> written = new CompletableFuture<>();
        try {
            producer.send(record, (metadata, e) -> {
                if (e == null) {
                    written.complete(null);
                } else {
                    written.completeExceptionally(e);
                }
            });
        } catch (RuntimeException e) {
            // refused before it was queued (too large, no metadata in time, closed producer)
            written.completeExceptionally(e);
        }
        return written;
    }

    /** {@code write} once {@code before} has completed (and not at all if it failed). */
    public CompletableFuture<Void> after(CompletableFuture<Void> before, Supplier<CompletableFuture<Void>> write) {
        if (before == null || before.isDone() && !before.isCompletedExceptionally()) {
            return write.get();
        }
        return before.thenComposeAsync(ignored -> write.get(), chained);
    }
}
