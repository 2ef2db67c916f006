package io.taskroutes.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.taskroutes.sandbox.EmbeddedKafkaBroker;
import io.taskroutes.sandbox.ProviderSandbox;
import io.taskroutes.testsupport.BundleUnderTest;
import io.taskroutes.testsupport.PyrusWorkload;
import io.taskroutes.testsupport.Records;

/** The broker goes away mid-stream and comes back on the same address and data: the bundle reconnects and drains. */
class BrokerRestartTest {

    @TempDir
    Path brokerDir;

    @Test
    void theBundleReconnectsAfterABrokerRestartAndDrainsEverything() throws Exception {
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(brokerDir, 0);
        int port = broker.port();
        String prefix = BundleUnderTest.newPrefix();
        for (String topic : List.of("task.comment", "task.results", "task.dlq")) {
            broker.createTopic(prefix + topic, 2);
        }
        try (ProviderSandbox sandbox = ProviderSandbox.start()) {
            PyrusWorkload workload = new PyrusWorkload(sandbox.pyrus(), 10);
            List<PyrusWorkload.Command> commands = workload.commands("restart", 120);
            sandbox.faults("pyrus").latency(Duration.ofMillis(15));
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                    ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName(),
                    ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName()))) {
                for (PyrusWorkload.Command c : commands) {
                    producer.send(new ProducerRecord<>(prefix + "task.comment", c.key(), c.value())).get();
                }
            }
            try (BundleUnderTest bundle = BundleUnderTest.start(sandbox,
                    Map.of("tasks.kafka.brokers", broker.bootstrapServers()), 2, prefix)) {
                Records.readUntil(broker.bootstrapServers(), prefix + "task.results", rs -> rs.size() >= 20, Duration.ofSeconds(60));
                broker.close();
                broker = EmbeddedKafkaBroker.start(brokerDir, port);

                Set<String> ids = commands.stream().map(PyrusWorkload.Command::id).collect(Collectors.toSet());
                Records.readUntil(broker.bootstrapServers(), prefix + "task.results", rs -> {
                    Set<String> seen = new HashSet<>();
                    rs.forEach(r -> seen.add(Records.header(r, "task.command-id")));
                    return seen.containsAll(ids);
                }, Duration.ofSeconds(120));
            } finally {
                broker.close();
            }
            Map<String, Integer> effects = PyrusWorkload.effects(sandbox.pyrus(), commands, "restart");
            assertThat(effects).hasSize(commands.size());
            assertThat(PyrusWorkload.orderViolations(sandbox.pyrus(), commands, "restart")).isEmpty();
        }
    }
}
