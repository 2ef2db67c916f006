package io.taskroutes.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.camel.builder.NotifyBuilder;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import io.taskroutes.command.Json;
import io.taskroutes.sandbox.ProviderSandbox;
import io.taskroutes.testsupport.BundleUnderTest;
import io.taskroutes.testsupport.PyrusWorkload;
import io.taskroutes.testsupport.Records;
import io.taskroutes.testsupport.TestKafka;

/** Contract §7 against a real broker, in one JVM: duplicates, poison records, commit discipline, scale-out. */
class DeliveryGuaranteesTest {

    static ProviderSandbox sandbox;

    @BeforeAll
    static void start() {
        sandbox = ProviderSandbox.start();
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static JsonNode json(ConsumerRecord<byte[], byte[]> r) {
        try {
            return Json.MAPPER.readTree(r.value());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aDuplicateRecordIsAppliedOnceAndAnsweredTwiceTheSecondMarkedDuplicate() {
        PyrusWorkload workload = new PyrusWorkload(sandbox.pyrus(), 1);
        PyrusWorkload.Command c = workload.commands("dup", 1).get(0);
        try (BundleUnderTest bundle = BundleUnderTest.start(sandbox, Map.of())) {
            TestKafka.produce(bundle.topic("task.comment"), c.key(), c.value(), Map.of());
            TestKafka.produce(bundle.topic("task.comment"), c.key(), c.value(), Map.of());

            List<ConsumerRecord<byte[], byte[]>> results = Records.readUntil(bundle.topic("task.results"),
                    rs -> rs.size() >= 2, Duration.ofSeconds(30));
            assertThat(results).allSatisfy(r -> assertThat(Records.header(r, "task.command-id")).isEqualTo(c.id()));
            assertThat(results).extracting(r -> json(r).path("status").asText()).containsOnly("ok");
            assertThat(json(results.get(0)).has("duplicate")).isFalse();
            assertThat(json(results.get(1)).path("duplicate").asBoolean()).isTrue();
            assertThat(PyrusWorkload.effects(sandbox.pyrus(), List.of(c), "dup")).containsExactly(Map.entry(c.id(), 1));
        }
    }

    @Test
    void doneIdsSurviveARestartAndAreSeenByTheNextInstanceBeforeItConsumes() {
        PyrusWorkload workload = new PyrusWorkload(sandbox.pyrus(), 1);
        PyrusWorkload.Command c = workload.commands("restart-dup", 1).get(0);
        String prefix = BundleUnderTest.newPrefix();
        try (BundleUnderTest first = BundleUnderTest.start(sandbox, Map.of(), 1, prefix)) {
            TestKafka.produce(prefix + "task.comment", c.key(), c.value(), Map.of());
            Records.byCommandId(prefix + "task.results", Set.of(c.id()), Duration.ofSeconds(30));
        }
        // the repeat is already waiting when the next instance starts: it must know the id before consuming
        TestKafka.produce(prefix + "task.comment", c.key(), c.value(), Map.of());
        try (BundleUnderTest second = BundleUnderTest.start(sandbox, Map.of(), 1, prefix)) {
            List<ConsumerRecord<byte[], byte[]>> results = Records.readUntil(prefix + "task.results", rs -> rs.size() >= 2, Duration.ofSeconds(30));
            assertThat(json(results.get(1)).path("duplicate").asBoolean()).isTrue();
        }
        assertThat(PyrusWorkload.effects(sandbox.pyrus(), List.of(c), "restart-dup")).containsExactly(Map.entry(c.id(), 1));
    }

    @Test
    void poisonRecordsGoToTheDeadLetterTopicWhileGoodOnesKeepTheirOrder() {
        PyrusWorkload workload = new PyrusWorkload(sandbox.pyrus(), 1);
        List<PyrusWorkload.Command> good = workload.commands("poison", 6);
        byte[] tenMegabytes = new byte[10 * 1024 * 1024];
        Arrays.fill(tenMegabytes, (byte) 'x');
        tenMegabytes[0] = '{';
        List<byte[]> bad = List.of(
                utf8("this is not JSON"),
                utf8("[{\"provider\":\"pyrus\"}]"),
                tenMegabytes,
                new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'},
                utf8("{\"id\":\"poison-nokey\",\"provider\":\"pyrus\",\"taskId\":" + good.get(0).taskId() + ",\"text\":\"nokey\"}"));
        try (BundleUnderTest bundle = BundleUnderTest.start(sandbox, Map.of())) {
            String topic = bundle.topic("task.comment");
            for (int i = 0; i < good.size(); i++) {
                TestKafka.produce(topic, good.get(i).key(), good.get(i).value(), Map.of());
                if (i < bad.size()) {
                    // all on the good commands' partition (one partition), the last one without a key
                    TestKafka.produce(topic, i == bad.size() - 1 ? null : good.get(i).key(), bad.get(i), Map.of("X-Poison", utf8("p" + i)));
                }
            }

            List<ConsumerRecord<byte[], byte[]>> dead = Records.readUntil(bundle.topic("task.dlq"), rs -> rs.size() >= bad.size(), Duration.ofSeconds(60));
            assertThat(dead).hasSize(bad.size());
            // records of different keys finish in any order (the one without a key is a lane of its own)
            dead = dead.stream().sorted(java.util.Comparator.comparing(d -> Records.header(d, "X-Poison"))).toList();
            for (int i = 0; i < bad.size(); i++) {
                ConsumerRecord<byte[], byte[]> d = dead.get(i);
                assertThat(Records.header(d, "X-Poison")).isEqualTo("p" + i);
                assertThat(d.value()).as("dead letter %d keeps the original bytes", i).isEqualTo(bad.get(i));
                assertThat(Records.header(d, "task.error.reason")).isEqualTo("invalid");
            }
            assertThat(Records.header(dead.get(0), "task.error.message")).contains("not valid JSON");
            assertThat(Records.header(dead.get(1), "task.error.message")).contains("JSON array");
            assertThat(Records.header(dead.get(2), "task.error.message")).contains("more than the 1048576 allowed");
            assertThat(Records.header(dead.get(3), "task.error.message")).contains("UTF-8");
            assertThat(Records.header(dead.get(4), "task.error.message")).contains("no key");

            Set<String> goodIds = good.stream().map(PyrusWorkload.Command::id).collect(Collectors.toSet());
            Records.byCommandId(bundle.topic("task.results"), goodIds, Duration.ofSeconds(30));
            List<String> applied = sandbox.pyrus().commentTexts(good.get(0).taskId()).stream()
                    .filter(t -> t != null && t.startsWith("poison-")).toList();
            assertThat(applied).containsExactlyElementsOf(good.stream().map(PyrusWorkload.Command::id).toList());
        }
    }

    @Test
    void anOffsetIsNotCommittedWhenTheDeadLetterCannotBeWritten() throws Exception {
        // a topic name Kafka refuses: every dead-letter write fails
        try (BundleUnderTest bundle = BundleUnderTest.start(sandbox, Map.of("tasks.kafka.dlq-topic", "no such topic!"))) {
            // each try is the lane's worker running the record again: refused again, its dead letter written again
            NotifyBuilder attempts = new NotifyBuilder(bundle.context()).fromRoute("kafka-command").whenDone(3).create();
            TestKafka.produce(bundle.topic("task.delete"), utf8("x"), utf8("not json"), Map.of());

            assertThat(attempts.matches(60, java.util.concurrent.TimeUnit.SECONDS))
                    .as("the record is consumed again and again instead of being skipped").isTrue();
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrap()))) {
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(bundle.groupId())
                        .partitionsToOffsetAndMetadata().get();
                OffsetAndMetadata offset = committed.get(new TopicPartition(bundle.topic("task.delete"), 0));
                assertThat(offset == null ? 0 : offset.offset()).isZero();
            }
        }
    }

    @Test
    void aResultThatCannotBeWrittenKeepsTheRecordUnfinishedAndItsRetriesNeverCallTheProviderAgain() throws Exception {
        PyrusWorkload workload = new PyrusWorkload(sandbox.pyrus(), 1);
        PyrusWorkload.Command c = workload.commands("unwritten", 1).get(0);
        // the result write is handed to the producer and fails in its callback: the record must not finish
        try (BundleUnderTest bundle = BundleUnderTest.start(sandbox, Map.of("tasks.kafka.result-topic", "no such topic!"))) {
            NotifyBuilder attempts = new NotifyBuilder(bundle.context()).fromRoute("kafka-command").whenDone(3).create();
            TestKafka.produce(bundle.topic("task.comment"), c.key(), c.value(), Map.of());

            assertThat(attempts.matches(60, java.util.concurrent.TimeUnit.SECONDS))
                    .as("the record is run again until its result is written").isTrue();
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrap()))) {
                OffsetAndMetadata offset = admin.listConsumerGroupOffsets(bundle.groupId()).partitionsToOffsetAndMetadata().get()
                        .get(new TopicPartition(bundle.topic("task.comment"), 0));
                assertThat(offset == null ? 0 : offset.offset()).as("committed offset").isZero();
            }
        }
        // its done state was acknowledged before the result was tried: every retry is a duplicate, not a new call
        assertThat(PyrusWorkload.effects(sandbox.pyrus(), List.of(c), "unwritten")).containsExactly(Map.entry(c.id(), 1));
    }

    @Test
    void aGracefulStopFinishesTheCommandInFlightAndCommitsItsOffset() throws Exception {
        PyrusWorkload workload = new PyrusWorkload(sandbox.pyrus(), 1);
        List<PyrusWorkload.Command> commands = workload.commands("graceful", 3);
        sandbox.faults("pyrus").latency(Duration.ofMillis(700));
        BundleUnderTest bundle = BundleUnderTest.start(sandbox, Map.of());
        try {
            commands.forEach(c -> TestKafka.produce(bundle.topic("task.comment"), c.key(), c.value(), Map.of()));
            // the first comment call has reached the provider and is waiting for its answer
            await().atMost(Duration.ofSeconds(30)).until(() -> sandbox.requests("pyrus").stream()
                    .anyMatch(r -> r.path().endsWith("/comments") && r.bodyString().contains(commands.get(0).id())));
        } finally {
            bundle.close();
            sandbox.faults("pyrus").clear();
        }
        List<String> applied = sandbox.pyrus().commentTexts(commands.get(0).taskId()).stream()
                .filter(t -> t != null && t.startsWith("graceful-")).toList();
        assertThat(applied).isNotEmpty();
        Map<String, ConsumerRecord<byte[], byte[]>> results = Records.byCommandId(bundle.topic("task.results"),
                Set.copyOf(applied), Duration.ofSeconds(10));
        assertThat(results).hasSize(applied.size());
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrap()))) {
            OffsetAndMetadata committed = admin.listConsumerGroupOffsets(bundle.groupId()).partitionsToOffsetAndMetadata().get()
                    .get(new TopicPartition(bundle.topic("task.comment"), 0));
            assertThat(committed).as("every applied command's offset is committed").isNotNull();
            assertThat(committed.offset()).isEqualTo(applied.size());
        }
    }

    @Test
    void twoInstancesShareTheWorkAndWhenOneStopsTheOtherFinishesWithoutLossOrDoubleEffect() {
        PyrusWorkload workload = new PyrusWorkload(sandbox.pyrus(), 12);
        List<PyrusWorkload.Command> commands = workload.commands("scale", 90);
        String prefix = BundleUnderTest.newPrefix();
        sandbox.faults("pyrus").latency(Duration.ofMillis(20));
        try {
            BundleUnderTest first = BundleUnderTest.start(sandbox, Map.of(), 3, prefix);
            try (BundleUnderTest second = BundleUnderTest.start(sandbox, Map.of(), 3, prefix)) {
                commands.forEach(c -> TestKafka.produce(prefix + "task.comment", c.key(), c.value(), Map.of()));
                Records.readUntil(prefix + "task.results", rs -> rs.size() >= 25, Duration.ofSeconds(60));
                first.close(); // mid-stream: its partitions move to the second instance

                Set<String> ids = commands.stream().map(PyrusWorkload.Command::id).collect(Collectors.toSet());
                Map<String, ConsumerRecord<byte[], byte[]>> results = Records.byCommandId(prefix + "task.results", ids, Duration.ofSeconds(90));
                assertThat(results.keySet()).containsAll(ids);
            }
        } finally {
            sandbox.faults("pyrus").clear();
        }
        Map<String, Integer> effects = PyrusWorkload.effects(sandbox.pyrus(), commands, "scale");
        assertThat(effects).hasSize(commands.size());
        assertThat(effects.values()).containsOnly(1);
        assertThat(PyrusWorkload.orderViolations(sandbox.pyrus(), commands, "scale")).isEmpty();
    }
}
