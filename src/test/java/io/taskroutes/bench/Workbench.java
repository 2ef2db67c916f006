package io.taskroutes.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.ConsumerGroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import io.taskroutes.sandbox.EmbeddedKafkaBroker;
import io.taskroutes.sandbox.ProviderSandbox;
import io.taskroutes.testsupport.PyrusWorkload;

/**
 * What every run shares: one KRaft broker (in the bench JVM, or a process of its own) and one provider sandbox (in the
 * bench JVM), an admin client and the producer that writes the commands.
 */
final class Workbench implements AutoCloseable {

    /** The Kafka names of one run; everything is fresh per run so no run sees another's records or offsets. */
    record Topics(String commands, String results, String dlq, String group, int partitions) {

        /** The same run with another operation's topic as the one the contender drains and the bench watches. */
        Topics forOperation(String operation) {
            return new Topics(otherOperation(operation), results, dlq, group, partitions);
        }

        /** The bundle's other operations (tasks.kafka.topic.*), which get empty topics of their own. */
        static final List<String> OTHER_OPERATIONS = List.of("task-get", "task-list", "task-create", "task-update",
                "task-delete", "task-checklist-delete");

        /** e.g. {@code task-get -> r1-bundle-1p-50ms-64.task.get}. */
        String otherOperation(String operation) {
            return commands.substring(0, commands.length() - "task.comment".length()) + operation.replace('-', '.');
        }
    }

    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);

    /** Exactly one of the two: the broker in this JVM, or in a process of its own. */
    private final EmbeddedKafkaBroker broker;
    private final BrokerProcess brokerProcess;
    private final String brokers;
    final ProviderSandbox sandbox;
    private final Admin admin;
    private final KafkaProducer<byte[], byte[]> producer;

    private Workbench(EmbeddedKafkaBroker broker, BrokerProcess brokerProcess, ProviderSandbox sandbox) {
        this.broker = broker;
        this.brokerProcess = brokerProcess;
        this.brokers = broker != null ? broker.bootstrapServers() : brokerProcess.bootstrap();
        this.sandbox = sandbox;
        // Pyrus' real quota (5,000 calls per 10 minutes) would answer most of a run's 20,000 calls with 429
        sandbox.pyrus().requestQuota(Integer.MAX_VALUE);
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, brokers));
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers,
                ProducerConfig.CLIENT_ID_CONFIG, "bench-command-producer",
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, "5",
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName()));
    }

    static Workbench start() {
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start();
        try {
            return new Workbench(broker, null, ProviderSandbox.start());
        } catch (RuntimeException e) {
            broker.close();
            throw e;
        }
    }

    /** With the broker as a process of its own (-Xmx{@code brokerXmx}). */
    static Workbench startWithBrokerProcess(String brokerXmx) {
        BrokerProcess broker = BrokerProcess.start(brokerXmx);
        try {
            return new Workbench(null, broker, ProviderSandbox.start());
        } catch (RuntimeException e) {
            broker.close();
            throw e;
        }
    }

    String brokers() {
        return brokers;
    }

    /** The broker's process id when it runs as a process of its own. */
    java.util.OptionalLong brokerPid() {
        return brokerProcess == null ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(brokerProcess.pid());
    }

    void createTopic(String name, int partitions) {
        if (broker != null) {
            broker.createTopic(name, partitions);
            return;
        }
        try {
            admin.createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic(name, partitions, (short) 1))).all()
                    .get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not create topic " + name, e);
        }
    }

    Topics topics(String runId, int partitions) {
        return topics(runId, partitions, "task-comment");
    }

    /** As above; the topic of {@code drained} (e.g. task-delete) gets the run's partitions too. */
    Topics topics(String runId, int partitions, String drained) {
        Topics t = new Topics(runId + ".task.comment", runId + ".task.results", runId + ".task.dlq",
                runId + ".group", partitions);
        createTopic(t.commands(), partitions);
        createTopic(t.results(), partitions);
        createTopic(t.dlq(), 1);
        // The bundle's consumers of all operations share one group. A topic one of them subscribes to that does not
        // exist yet is auto-created a moment later, and the new partition rebalances the whole group in the middle
        // of the drain (records in flight are then consumed again). Production topics exist beforehand: so here too.
        for (String operation : Topics.OTHER_OPERATIONS) {
            createTopic(t.otherOperation(operation), operation.equals(drained) ? partitions : 1);
        }
        return t;
    }

    /**
     * Writes the commands (acks=all) and waits for every acknowledgement. Returns each command's record timestamp
     * (CreateTime: the moment {@code send} was called), in the order of {@code commands}.
     */
    long[] produce(String topic, List<PyrusWorkload.Command> commands) {
        return produce(topic, commands.stream().map(PyrusWorkload.Command::key).toList(),
                commands.stream().map(PyrusWorkload.Command::value).toList());
    }

    /** As above, for records given as keys and values. */
    long[] produce(String topic, List<byte[]> keys, List<byte[]> values) {
        List<Future<RecordMetadata>> sent = new ArrayList<>(keys.size());
        for (int i = 0; i < keys.size(); i++) {
            sent.add(producer.send(new ProducerRecord<>(topic, keys.get(i), values.get(i))));
        }
        producer.flush();
        long[] timestamps = new long[keys.size()];
        try {
            for (int i = 0; i < sent.size(); i++) {
                timestamps[i] = sent.get(i).get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).timestamp();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while producing to " + topic, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not produce to " + topic, e);
        }
        return timestamps;
    }

    /**
     * Waits until the consumer group is stable and holds every partition of {@code topic}: then the contender is
     * consuming, and what is produced next is drained right away. Polled (the admin API has no notification);
     * fails early if the contender died.
     */
    void awaitAssigned(Topics t, Contender contender, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            if (!contender.isAlive()) {
                throw new IllegalStateException(contender.name() + " stopped before it was consuming:\n" + contender.diagnostics());
            }
            try {
                ConsumerGroupDescription d = admin.describeConsumerGroups(List.of(t.group())).describedGroups()
                        .get(t.group()).get(5, TimeUnit.SECONDS);
                long assigned = d.members().stream().flatMap(m -> m.assignment().topicPartitions().stream())
                        .filter(tp -> tp.topic().equals(t.commands())).distinct().count();
                if (d.state() == ConsumerGroupState.STABLE && assigned == t.partitions()) {
                    return;
                }
                last = "group " + d.state() + ", " + assigned + "/" + t.partitions() + " partitions assigned";
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for group " + t.group(), e);
            } catch (ExecutionException | TimeoutException e) {
                last = e.toString();
            }
            LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
        }
        throw new IllegalStateException(contender.name() + " did not join group " + t.group() + " within " + timeout
                + " (" + last + "):\n" + contender.diagnostics());
    }

    /** Records on the topic now (sum of the partitions' end offsets). */
    long count(String topic, int partitions) {
        Map<TopicPartition, OffsetSpec> request = new java.util.HashMap<>();
        for (int p = 0; p < partitions; p++) {
            request.put(new TopicPartition(topic, p), OffsetSpec.latest());
        }
        try {
            return admin.listOffsets(request).all().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).values()
                    .stream().mapToLong(i -> i.offset()).sum();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot read the end offsets of " + topic, e);
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
        admin.close(Duration.ofSeconds(5));
        sandbox.close();
        if (broker != null) {
            broker.close();
        } else {
            brokerProcess.close();
        }
    }
}
