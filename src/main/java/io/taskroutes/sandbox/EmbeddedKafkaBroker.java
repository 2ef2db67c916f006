package io.taskroutes.sandbox;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;

/**
 * A real single-node Kafka broker (KRaft combined mode: broker and controller in one node) running in this JVM,
 * for the dev profile and the tests. It formats its log directory the way {@code kafka-storage.sh format} does
 * and starts {@link KafkaRaftServer} the way {@code kafka.Kafka} does. Never used in prod.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);

    private static final String HOST = "127.0.0.1";
    private static final int NODE_ID = 1;
    private static final String BROKER_LISTENER = "PLAINTEXT";
    private static final String CONTROLLER_LISTENER = "CONTROLLER";
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);
    /** Attempts when a free port we picked was taken by someone else before the broker bound it. */
    private static final int PORT_ATTEMPTS = 3;

    private final KafkaRaftServer server;
    private final Admin admin;
    private final Path logDir;
    private final boolean ownsLogDir;
    private final int port;
    private final int controllerPort;
    private final Duration startupTime;
    private final AtomicBoolean closed = new AtomicBoolean();

    private EmbeddedKafkaBroker(KafkaRaftServer server, Admin admin, Path logDir, boolean ownsLogDir, int port,
            int controllerPort, Duration startupTime) {
        this.server = server;
        this.admin = admin;
        this.logDir = logDir;
        this.ownsLogDir = ownsLogDir;
        this.port = port;
        this.controllerPort = controllerPort;
        this.startupTime = startupTime;
    }

    /** A broker on 127.0.0.1 with free ports and a fresh temporary log directory, deleted again by {@link #close()}. */
    public static EmbeddedKafkaBroker start() {
        Path dir;
        try {
            dir = Files.createTempDirectory("embedded-kafka-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a log directory for the embedded Kafka broker", e);
        }
        try {
            return start(dir, 0, true);
        } catch (RuntimeException | Error e) {
            deleteRecursively(dir);
            throw e;
        }
    }

    /**
     * A broker on 127.0.0.1 that keeps its data in {@code logDir} (formatted on first use, reused afterwards, never
     * deleted) and listens on {@code port} (0: a free port).
     */
    public static EmbeddedKafkaBroker start(Path logDir, int port) {
        return start(logDir, port, false);
    }

    private static EmbeddedKafkaBroker start(Path logDir, int requestedPort, boolean ownsLogDir) {
        if (requestedPort < 0 || requestedPort > 65535) {
            throw new IllegalArgumentException("port out of range: " + requestedPort);
        }
        long began = System.nanoTime();
        Path dir = logDir.toAbsolutePath();
        RuntimeException last = null;
        for (int attempt = 1; attempt <= PORT_ATTEMPTS; attempt++) {
            int port = requestedPort == 0 ? freePort() : requestedPort;
            int controllerPort = freePortOtherThan(port);
            Properties props = brokerProperties(dir, port, controllerPort);
            formatIfNeeded(dir, props);
            // what kafka.Kafka's main does with server.properties
            KafkaConfig config = new KafkaConfig(props, false);
            KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
            Admin admin = null;
            try {
                server.startup();
                admin = Admin.create(Map.of(
                        AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, HOST + ":" + port,
                        AdminClientConfig.CLIENT_ID_CONFIG, "embedded-kafka-broker-admin"));
                awaitReady(admin);
                Duration took = Duration.ofNanos(System.nanoTime() - began);
                LOG.info("embedded Kafka broker ready at {}:{} in {} ms (log dir {})", HOST, port, took.toMillis(), dir);
                return new EmbeddedKafkaBroker(server, admin, dir, ownsLogDir, port, controllerPort, took);
            } catch (RuntimeException | Error e) {
                if (admin != null) {
                    admin.close(Duration.ZERO);
                }
                stop(server);
                if (e instanceof Error error) {
                    throw error;
                }
                boolean retry = attempt < PORT_ATTEMPTS && isBindFailure(e);
                if (!retry) {
                    throw (RuntimeException) e;
                }
                LOG.warn("embedded Kafka broker could not bind its ports, retrying with others: {}", e.toString());
                last = (RuntimeException) e;
            }
        }
        throw last;
    }

    /** {@code 127.0.0.1:PORT}, for {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return HOST + ":" + port;
    }

    /** The PLAINTEXT port clients use. */
    public int port() {
        return port;
    }

    /** How long {@code start} took, from formatting to the broker answering clients. */
    public Duration startupTime() {
        return startupTime;
    }

    int controllerPort() {
        return controllerPort;
    }

    Path logDir() {
        return logDir;
    }

    /**
     * Creates a topic with replication factor 1 and waits until every partition has a leader. An existing topic
     * with the same partition count is accepted; one with another count is an error.
     */
    public void createTopic(String name, int partitions) {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be at least 1: " + partitions);
        }
        try {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all()
                    .get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("could not create topic " + name, e.getCause());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topic " + name, e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("topic " + name + " was not created within " + ADMIN_TIMEOUT, e);
        }
        awaitLeaders(name, partitions);
    }

    /** Stops the broker and waits until it has; deletes the log directory only if {@link #start()} created it. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        long began = System.nanoTime();
        admin.close(Duration.ofSeconds(5));
        stop(server);
        if (ownsLogDir) {
            deleteRecursively(logDir);
        }
        LOG.info("embedded Kafka broker at {} stopped in {} ms", bootstrapServers(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began));
    }

    private static Properties brokerProperties(Path dir, int port, int controllerPort) {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", String.valueOf(NODE_ID));
        p.put("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + controllerPort);
        p.put("listeners", BROKER_LISTENER + "://" + HOST + ":" + port + "," + CONTROLLER_LISTENER + "://" + HOST + ":" + controllerPort);
        p.put("advertised.listeners", BROKER_LISTENER + "://" + HOST + ":" + port);
        p.put("controller.listener.names", CONTROLLER_LISTENER);
        p.put("inter.broker.listener.name", BROKER_LISTENER);
        p.put("listener.security.protocol.map", BROKER_LISTENER + ":PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        p.put("log.dirs", dir.toString());
        // a single node: every internal topic has one replica
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "5");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "5");
        p.put("default.replication.factor", "1");
        p.put("min.insync.replicas", "1");
        p.put("num.partitions", "1");
        // room for oversized commands, which are dead-lettered with their original bytes
        p.put("message.max.bytes", String.valueOf(16 * 1024 * 1024));
        p.put("replica.fetch.max.bytes", String.valueOf(16 * 1024 * 1024));
        p.put("auto.create.topics.enable", "true");
        p.put("group.initial.rebalance.delay.ms", "0");
        // light on a small machine and on the host application's heap
        p.put("num.network.threads", "2");
        p.put("num.io.threads", "2");
        p.put("background.threads", "2");
        p.put("num.recovery.threads.per.data.dir", "1");
        p.put("log.cleaner.threads", "1");
        p.put("log.cleaner.dedupe.buffer.size", String.valueOf(8 * 1024 * 1024));
        p.put("log.segment.bytes", String.valueOf(16 * 1024 * 1024));
        return p;
    }

    /**
     * {@code kafka-storage.sh format -t <random id> -c server.properties}, through the same entry point
     * ({@link StorageTool#execute}, which reports failures instead of exiting); skipped for a formatted directory.
     */
    private static void formatIfNeeded(Path dir, Properties props) {
        if (Files.exists(dir.resolve("meta.properties"))) {
            LOG.debug("reusing the formatted Kafka log directory {}", dir);
            return;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Path configFile = null;
        int rc;
        try (PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8)) {
            Files.createDirectories(dir);
            configFile = Files.createTempFile("embedded-kafka-", ".properties");
            try (var writer = Files.newBufferedWriter(configFile, StandardCharsets.UTF_8)) {
                props.store(writer, "embedded Kafka broker");
            }
            rc = StorageTool.execute(new String[] {"format", "--cluster-id", clusterId(), "--config", configFile.toString()}, print);
        } catch (IOException e) {
            throw new UncheckedIOException("could not format the Kafka log directory " + dir, e);
        } catch (RuntimeException e) {
            throw new IllegalStateException("could not format the Kafka log directory " + dir + ": " + e.getMessage()
                    + System.lineSeparator() + out.toString(StandardCharsets.UTF_8), e);
        } finally {
            if (configFile != null) {
                try {
                    Files.deleteIfExists(configFile);
                } catch (IOException ignored) {
                    // a temp file left behind is harmless
                }
            }
        }
        String output = out.toString(StandardCharsets.UTF_8).trim();
        if (rc != 0) {
            throw new IllegalStateException("could not format the Kafka log directory " + dir + " (exit code " + rc + "): " + output);
        }
        LOG.debug("{}", output);
    }

    /** A random cluster id; one starting with '-' would be read as an option by the Kafka tools, so it is redrawn. */
    static String clusterId() {
        String id = Uuid.randomUuid().toString();
        while (id.startsWith("-")) {
            id = Uuid.randomUuid().toString();
        }
        return id;
    }

    /** The broker is ready once a client sees it in the cluster metadata. */
    private static void awaitReady(Admin admin) {
        long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            try {
                Collection<Node> nodes = admin.describeCluster().nodes().get(5, TimeUnit.SECONDS);
                if (nodes.stream().anyMatch(n -> n.id() == NODE_ID)) {
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the Kafka broker", e);
            } catch (ExecutionException | TimeoutException e) {
                last = e;
            }
        }
        throw new IllegalStateException("the embedded Kafka broker did not answer clients within " + STARTUP_TIMEOUT, last);
    }

    private void awaitLeaders(String name, int partitions) {
        long deadline = System.nanoTime() + ADMIN_TIMEOUT.toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            try {
                TopicDescription d = admin.describeTopics(Set.of(name)).allTopicNames()
                        .get(5, TimeUnit.SECONDS).get(name);
                if (d.partitions().size() != partitions) {
                    throw new IllegalStateException("topic " + name + " exists with " + d.partitions().size()
                            + " partitions, not " + partitions);
                }
                if (d.partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty())) {
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for topic " + name, e);
            } catch (ExecutionException | TimeoutException e) {
                last = e; // metadata not propagated yet
            }
        }
        throw new IllegalStateException("topic " + name + " has no leader for every partition within " + ADMIN_TIMEOUT, last);
    }

    private static void stop(KafkaRaftServer server) {
        try {
            server.shutdown();
            server.awaitShutdown();
        } catch (RuntimeException e) {
            LOG.warn("embedded Kafka broker did not shut down cleanly: {}", e.toString());
        }
    }

    private static boolean isBindFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BindException
                    || (t.getMessage() != null && t.getMessage().contains("Address already in use"))) {
                return true;
            }
        }
        return false;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on " + HOST, e);
        }
    }

    private static int freePortOtherThan(int port) {
        int candidate = freePort();
        while (candidate == port) {
            candidate = freePort();
        }
        return candidate;
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            LOG.warn("could not delete the embedded Kafka log directory {}: {}", dir, e.toString());
        }
    }
}
