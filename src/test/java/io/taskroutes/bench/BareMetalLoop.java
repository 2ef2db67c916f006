package io.taskroutes.bench;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Baseline 2, the "bare metal" reference: a KafkaConsumer and java.net.http.HttpClient.sendAsync, with the same
 * in-flight limit as the bundle and the same guarantees: one call per key at a time (per-key order), a result record
 * written (acks=all) before a command counts as done, and offsets committed only below the lowest unfinished record.
 * No retries, no validation, no metrics, no rebalance handling (one instance owns every partition): the least work
 * that does the job. Runs as its own process ({@link LoopProcess}, started with {@link #main}), like the bundle, so
 * the CPU time and memory of each can be read from /proc side by side.
 * <p>
 * Threads: the poll thread owns the consumer (poll, pause/resume, commit); HTTP and producer callbacks finish
 * records and start the next calls. Both sides meet in {@link #lock}.
 */
final class BareMetalLoop implements Contender {

    private static final Duration COMMIT_EVERY = Duration.ofMillis(100);

    private final Workbench.Topics topics;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final KafkaProducer<byte[], byte[]> producer;
    private final HttpClient http;
    private final PyrusApi pyrus;
    private final String token;
    private final int maxInFlight;
    /** Polled but unfinished records above which the consumer pauses, so memory stays bounded. */
    private final int maxBuffered;
    private final Thread pollThread;
    private volatile boolean running = true;
    private volatile Throwable failure;

    private final Object lock = new Object();
    // guarded by lock
    /** Per key, its unfinished records in offset order; the head is in flight or waiting in {@link #ready}. */
    private final Map<Object, ArrayDeque<ConsumerRecord<byte[], byte[]>>> byKey = new HashMap<>();
    /** Heads of their key's queue that wait for an in-flight slot, oldest first. */
    private final ArrayDeque<ConsumerRecord<byte[], byte[]>> ready = new ArrayDeque<>();
    private final Map<TopicPartition, TreeSet<Long>> unfinished = new HashMap<>();
    private final Map<TopicPartition, Long> nextOffset = new HashMap<>();
    private int inFlight;
    private int buffered;

    private BareMetalLoop(String brokers, Workbench.Topics topics, PyrusApi pyrus, int maxInFlight) {
        this.topics = topics;
        this.maxInFlight = maxInFlight;
        this.maxBuffered = Math.max(1_000, 10 * maxInFlight);
        this.pyrus = pyrus;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        this.token = pyrus.accessToken(http);
        this.consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers,
                ConsumerConfig.GROUP_ID_CONFIG, topics.group(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName()));
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true",
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName()));
        this.pollThread = new Thread(this::pollLoop, "bare-metal-poll");
    }

    /** The loop as its own process, with -Xmx{@code xmx}. */
    static Contender.Factory factory(String xmx) {
        return (bench, topics, inFlight) -> LoopProcess.start(bench, topics, inFlight, xmx);
    }

    /**
     * Entry point of the loop's process: what to drain comes in the environment ({@link LoopProcess}); runs until
     * SIGTERM, then finishes like {@link #close}.
     */
    public static void main(String[] args) throws InterruptedException {
        Map<String, String> env = System.getenv();
        Workbench.Topics topics = new Workbench.Topics(env.get("BENCH_COMMANDS"), env.get("BENCH_RESULTS"), env.get("BENCH_DLQ"),
                env.get("BENCH_GROUP"), Integer.parseInt(env.get("BENCH_PARTITIONS")));
        PyrusApi pyrus = new PyrusApi(env.get("PYRUS_BASE_URL"), env.get("PYRUS_AUTH_URL"), env.get("PYRUS_LOGIN"),
                env.get("PYRUS_SECURITY_KEY"));
        BareMetalLoop loop = new BareMetalLoop(env.get("BENCH_BROKERS"), topics, pyrus, Integer.parseInt(env.get("BENCH_IN_FLIGHT")));
        Runtime.getRuntime().addShutdownHook(new Thread(loop::close, "bare-metal-stop"));
        loop.pollThread.start();
        System.out.println("bare-metal loop consuming " + topics.commands());
        loop.pollThread.join();
        if (loop.failure != null) {
            System.out.println("bare-metal loop failed: " + loop.failure);
        }
    }

    @Override
    public String name() {
        return "bare-metal loop";
    }

    @Override
    public boolean isAlive() {
        return pollThread.isAlive();
    }

    @Override
    public String diagnostics() {
        return failure == null ? "" : failure.toString();
    }

    private void pollLoop() {
        long nextCommit = 0;
        boolean paused = false;
        try {
            consumer.subscribe(List.of(topics.commands()));
            while (running) {
                // never poll while holding the lock: callbacks would wait for the poll
                ConsumerRecords<byte[], byte[]> polled = consumer.poll(Duration.ofMillis(50));
                List<ConsumerRecord<byte[], byte[]>> start;
                synchronized (lock) {
                    for (ConsumerRecord<byte[], byte[]> r : polled) {
                        admit(r);
                    }
                    start = takeStartable();
                }
                start.forEach(this::call);
                int backlog;
                synchronized (lock) {
                    backlog = buffered;
                }
                if (!paused && backlog >= maxBuffered) {
                    consumer.pause(consumer.assignment());
                    paused = true;
                } else if (paused && backlog < maxBuffered / 2) {
                    consumer.resume(consumer.assignment());
                    paused = false;
                }
                if (System.nanoTime() >= nextCommit) {
                    Map<TopicPartition, OffsetAndMetadata> safe = safeOffsets();
                    if (!safe.isEmpty()) {
                        consumer.commitAsync(safe, null);
                    }
                    nextCommit = System.nanoTime() + COMMIT_EVERY.toNanos();
                }
            }
            consumer.commitSync(safeOffsets());
        } catch (WakeupException stopping) {
            // close() woke the poll
        } catch (RuntimeException e) {
            failure = e;
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    /** A polled record joins its key's queue; it is ready to start when it is the only one there. */
    private void admit(ConsumerRecord<byte[], byte[]> r) {
        TopicPartition tp = new TopicPartition(r.topic(), r.partition());
        unfinished.computeIfAbsent(tp, k -> new TreeSet<>()).add(r.offset());
        nextOffset.put(tp, r.offset() + 1);
        buffered++;
        ArrayDeque<ConsumerRecord<byte[], byte[]>> queue = byKey.computeIfAbsent(orderKey(r), k -> new ArrayDeque<>());
        queue.add(r);
        if (queue.size() == 1) {
            ready.add(r);
        }
    }

    /** Takes as many ready records as there are free in-flight slots. */
    private List<ConsumerRecord<byte[], byte[]>> takeStartable() {
        List<ConsumerRecord<byte[], byte[]>> start = new ArrayList<>();
        while (inFlight < maxInFlight && !ready.isEmpty()) {
            start.add(ready.poll());
            inFlight++;
        }
        return start;
    }

    /** The provider call, then the result record; the record is finished once the result is acknowledged. */
    private void call(ConsumerRecord<byte[], byte[]> r) {
        PyrusApi.Comment comment;
        try {
            comment = PyrusApi.Comment.parse(r.value());
        } catch (IOException e) {
            writeResult(r, "?", error("unparsable command"));
            return;
        }
        http.sendAsync(pyrus.commentRequest(comment, token), HttpResponse.BodyHandlers.ofByteArray())
                .whenComplete((response, err) -> {
                    byte[] value;
                    if (err != null) {
                        value = error(err.toString());
                    } else if (response.statusCode() / 100 != 2) {
                        value = error("HTTP " + response.statusCode());
                    } else {
                        value = response.body(); // the provider's answer, as the camel route writes it
                    }
                    writeResult(r, comment.commandId(), value);
                });
    }

    private void writeResult(ConsumerRecord<byte[], byte[]> r, String commandId, byte[] value) {
        ProducerRecord<byte[], byte[]> result = new ProducerRecord<>(topics.results(), r.key(), value);
        result.headers().add("task.command-id", commandId.getBytes(StandardCharsets.UTF_8))
                .add("task.operation", "task.comment".getBytes(StandardCharsets.UTF_8))
                .add("task.provider", "pyrus".getBytes(StandardCharsets.UTF_8));
        producer.send(result, (metadata, e) -> {
            if (e != null) {
                failure = e; // left unfinished: its offset is never committed, the bench reports it missing
                return;
            }
            finished(r);
        });
    }

    /** Frees the slot and the key: the key's next record (if any) becomes ready; more calls start. */
    private void finished(ConsumerRecord<byte[], byte[]> r) {
        List<ConsumerRecord<byte[], byte[]>> start;
        synchronized (lock) {
            inFlight--;
            buffered--;
            unfinished.get(new TopicPartition(r.topic(), r.partition())).remove(r.offset());
            Object key = orderKey(r);
            ArrayDeque<ConsumerRecord<byte[], byte[]>> queue = byKey.get(key);
            queue.poll();
            if (queue.isEmpty()) {
                byKey.remove(key);
            } else {
                ready.add(queue.peek());
            }
            start = takeStartable();
        }
        start.forEach(this::call);
    }

    /** Per partition: the lowest unfinished offset, or everything polled when nothing is unfinished. */
    private Map<TopicPartition, OffsetAndMetadata> safeOffsets() {
        Map<TopicPartition, OffsetAndMetadata> safe = new HashMap<>();
        synchronized (lock) {
            nextOffset.forEach((tp, next) -> {
                TreeSet<Long> open = unfinished.get(tp);
                safe.put(tp, new OffsetAndMetadata(open == null || open.isEmpty() ? next : open.first()));
            });
        }
        return safe;
    }

    /** Records with equal keys are called one at a time, in offset order (keyless ones all share one queue). */
    private static Object orderKey(ConsumerRecord<byte[], byte[]> r) {
        return ByteBuffer.wrap(r.key() == null ? new byte[0] : r.key());
    }

    private static byte[] error(String message) {
        return ("{\"status\":\"error\",\"message\":" + quote(message) + "}").getBytes(StandardCharsets.UTF_8);
    }

    private static String quote(String s) {
        try {
            return PyrusApi.JSON.writeValueAsString(s);
        } catch (IOException e) {
            return "\"?\"";
        }
    }

    @Override
    public void close() {
        running = false;
        try {
            pollThread.join(Duration.ofSeconds(10).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (pollThread.isAlive()) {
            consumer.wakeup();
        }
        producer.close(Duration.ofSeconds(10));
    }
}
