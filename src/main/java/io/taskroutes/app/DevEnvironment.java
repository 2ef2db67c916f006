package io.taskroutes.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.taskroutes.sandbox.EmbeddedKafkaBroker;
import io.taskroutes.sandbox.ProviderSandbox;

/** The dev profile's world: a real single-node Kafka broker and the provider sandbox, both in this process. */
public final class DevEnvironment implements org.apache.camel.Service {

    private static final Logger LOG = LoggerFactory.getLogger(DevEnvironment.class);

    /** Where {@code send} looks for the dev broker when no broker is given. */
    public static final Path BROKERS_FILE = Path.of(System.getProperty("java.io.tmpdir"), "task-routes-dev", "brokers");

    private static final List<String> TOPIC_KEYS = List.of("tasks.kafka.result-topic", "tasks.kafka.dlq-topic",
            "tasks.kafka.topic.task-get", "tasks.kafka.topic.task-list", "tasks.kafka.topic.task-create",
            "tasks.kafka.topic.task-update", "tasks.kafka.topic.task-delete", "tasks.kafka.topic.task-comment",
            "tasks.kafka.topic.task-checklist-delete");

    private static final Duration PIXFLOW_STEP = Duration.ofSeconds(2);

    private final EmbeddedKafkaBroker broker;
    private final ProviderSandbox sandbox;
    private boolean closed;

    private final int webhookPort;

    private DevEnvironment(EmbeddedKafkaBroker broker, ProviderSandbox sandbox, int webhookPort) {
        this.broker = broker;
        this.sandbox = sandbox;
        this.webhookPort = webhookPort;
    }

    static DevEnvironment start(Function<String, Optional<String>> properties) {
        int kafkaPort = Integer.parseInt(properties.apply("tasks.dev.kafka-port").orElse("0"));
        int sandboxPort = Integer.parseInt(properties.apply("tasks.dev.sandbox-port").orElse("0"));
        long latency = Long.parseLong(properties.apply("tasks.dev.sandbox-latency-ms").orElse("0"));
        EmbeddedKafkaBroker broker = kafkaPort == 0 ? EmbeddedKafkaBroker.start()
                : EmbeddedKafkaBroker.start(tempDir(), kafkaPort);
        // topics exist before the consumers subscribe: no metadata warnings, and 'send' finds the result topic
        for (String key : TOPIC_KEYS) {
            properties.apply(key).filter(t -> !t.isBlank()).ifPresent(topic -> broker.createTopic(topic, 1));
        }
        ProviderSandbox sandbox = ProviderSandbox.start(sandboxPort);
        // Pixflow jobs created in the dev run finish by themselves (0 -> 5 -> 10, 2 s a step), as real ones do
        sandbox.pixflow().autoProgress(PIXFLOW_STEP);
        if (latency > 0) {
            sandbox.providerIds().forEach(provider -> sandbox.faults(provider).latency(Duration.ofMillis(latency)));
        }
        try {
            Files.createDirectories(BROKERS_FILE.getParent());
            Files.writeString(BROKERS_FILE, broker.bootstrapServers());
        } catch (IOException e) {
            LOG.warn("could not write {}: {}", BROKERS_FILE, e.getMessage());
        }
        // the simulators send their webhooks to the bundle, as the providers would once pointed at it
        int webhookPort = Integer.parseInt(properties.apply("tasks.dev.webhook-port").orElse("0"));
        webhookPort = webhookPort == 0 ? freePort() : webhookPort;
        sandbox.webhooks("http://127.0.0.1:" + webhookPort + "/webhooks");
        LOG.info("dev profile: Kafka broker at {}, provider sandbox at http://127.0.0.1:{}, webhooks to http://127.0.0.1:{}/webhooks",
                broker.bootstrapServers(), sandbox.port(), webhookPort);
        return new DevEnvironment(broker, sandbox, webhookPort);
    }

    /**
     * The broker for the command-line helpers ({@code send}, {@code watch}): the one given, else TASKS_KAFKA_BROKERS,
     * else the broker of a running dev profile; empty when none.
     */
    static Optional<String> brokers(String given) throws IOException {
        String brokers = given != null ? given : System.getenv("TASKS_KAFKA_BROKERS");
        if (brokers == null && Files.exists(BROKERS_FILE)) {
            brokers = Files.readString(BROKERS_FILE).trim();
        }
        return Optional.ofNullable(brokers).filter(b -> !b.isBlank());
    }

    private static int freePort() {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port for the webhook receiver", e);
        }
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("task-routes-dev-kafka");
        } catch (IOException e) {
            throw new IllegalStateException("cannot create a directory for the dev broker", e);
        }
    }

    /** Configuration that points the bundle at the local broker and sandbox, with the sandbox's credentials. */
    Map<String, String> properties() {
        Map<String, String> properties = new LinkedHashMap<>(sandbox.clientProperties());
        properties.put("tasks.kafka.brokers", broker.bootstrapServers());
        properties.put("tasks.events.webhook.port", String.valueOf(webhookPort));
        properties.put("tasks.events.webhook.host", "127.0.0.1");
        return properties;
    }

    @Override
    public void start() {
        // started eagerly in start(properties): the bundle's configuration depends on the ports
    }

    @Override
    public void stop() {
        close();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        sandbox.close();
        broker.close();
        try {
            Files.deleteIfExists(BROKERS_FILE);
        } catch (IOException ignored) {
            // a stale file only makes 'send' try a broker that is gone
        }
    }
}
