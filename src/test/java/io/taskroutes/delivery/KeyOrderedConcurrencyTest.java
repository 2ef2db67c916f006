package io.taskroutes.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.taskroutes.kafka.KeyOrderedLanes;
import io.taskroutes.sandbox.ProviderSandbox;
import io.taskroutes.sandbox.RecordedRequest;
import io.taskroutes.testsupport.BundleUnderTest;
import io.taskroutes.testsupport.PyrusWorkload;
import io.taskroutes.testsupport.Records;
import io.taskroutes.testsupport.TestKafka;

/**
 * Issue 4 against a real broker: different keys of one partition run concurrently up to the limits, one key runs
 * in order, offsets are committed only below the lowest unfinished record, and buffering is bounded by pausing
 * the consumer. Provider calls are held open by the sandbox so that "running" is a state the test can look at.
 */
class KeyOrderedConcurrencyTest {

    static ProviderSandbox sandbox;

    @BeforeAll
    static void start() {
        sandbox = ProviderSandbox.start();
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    @AfterEach
    void releaseAndReset() {
        sandbox.reset();
    }

    @Test
    void differentKeysRunConcurrentlyUpToTheLimitAndEachKeyInOrder() {
        PyrusWorkload workload = new PyrusWorkload(sandbox.pyrus(), 12);
        List<PyrusWorkload.Command> commands = workload.commands("conc", 36); // three per key, one partition
        sandbox.faults("pyrus").hold("conc-");
        try (BundleUnderTest bundle = BundleUnderTest.start(sandbox, Map.of("tasks.kafka.max-in-flight", "4"))) {
            commands.forEach(c -> TestKafka.produce(bundle.topic("task.comment"), c.key(), c.value(), Map.of()));

            await().atMost(Duration.ofSeconds(30)).until(() -> sandbox.activeRequests("pyrus") == 4);
            // four calls out; four more commands of other keys started and wait for a call permit
            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5))
                    .until(() -> sandbox.activeRequests("pyrus") == 4 && lanes(bundle).inFlight() == 8);
            List<String> running = comments().stream().map(RecordedRequest::bodyString).toList();
            assertThat(running).as("the first command of four different keys, nothing behind them").hasSize(4)
                    .allMatch(body -> body.contains("-1\""));

            sandbox.faults("pyrus").releaseHeld();
            Set<String> ids = commands.stream().map(PyrusWorkload.Command::id).collect(Collectors.toSet());
            assertThat(Records.byCommandId(bundle.topic("task.results"), ids, Duration.ofSeconds(60))).hasSize(36);
        }
        assertThat(PyrusWorkload.orderViolations(sandbox.pyrus(), commands, "conc")).isEmpty();
        assertThat(PyrusWorkload.effects(sandbox.pyrus(), commands, "conc").values()).hasSize(36).containsOnly(1);
    }

    @Test
    void aProviderAtItsOwnLimitDoesNotHoldBackTheOthers() {
        PyrusWorkload workload = new PyrusWorkload(sandbox.pyrus(), 6);
        List<PyrusWorkload.Command> commands = workload.commands("prov", 6);
        sandbox.faults("pyrus").hold("prov-");
        try (BundleUnderTest bundle = BundleUnderTest.start(sandbox,
                Map.of("tasks.kafka.max-in-flight", "8", "tasks.pyrus.max-in-flight", "2"))) {
            commands.forEach(c -> TestKafka.produce(bundle.topic("task.comment"), c.key(), c.value(), Map.of()));
            await().atMost(Duration.ofSeconds(30)).until(() -> sandbox.activeRequests("pyrus") == 2);

            TestKafka.produce(bundle.topic("task.get"), utf8("task-1"),
                    utf8("{\"id\":\"other-provider\",\"provider\":\"taskapi\",\"taskId\":\"task-1\"}"), Map.of());
            assertThat(Records.byCommandId(bundle.topic("task.results"), Set.of("other-provider"), Duration.ofSeconds(30)))
                    .as("Task API answered while Pyrus sat at its limit").hasSize(1);
            await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5))
                    .until(() -> sandbox.activeRequests("pyrus") == 2);

            sandbox.faults("pyrus").releaseHeld();
            Set<String> ids = commands.stream().map(PyrusWorkload.Command::id).collect(Collectors.toSet());
            assertThat(Records.byCommandId(bundle.topic("task.results"), ids, Duration.ofSeconds(60)).keySet())
                    .containsAll(ids).hasSize(7);
        }
    }

    @Test
    void theCommittedOffsetStopsAtTheLowestUnfinishedRecord() throws Exception {
        PyrusWorkload workload = new PyrusWorkload(sandbox.pyrus(), 6);
        List<PyrusWorkload.Command> commands = workload.commands("commit", 6); // offsets 0..5, six keys
        String slow = commands.get(0).id();
        sandbox.faults("pyrus").hold(slow);
        try (BundleUnderTest bundle = BundleUnderTest.start(sandbox, Map.of())) {
            String topic = bundle.topic("task.comment");
            commands.forEach(c -> TestKafka.produce(topic, c.key(), c.value(), Map.of()));
            Set<String> later = commands.stream().skip(1).map(PyrusWorkload.Command::id).collect(Collectors.toSet());
            Records.byCommandId(bundle.topic("task.results"), later, Duration.ofSeconds(30));

            // offsets 1..5 are finished, 0 is not: nothing may be committed (a crash now must re-read offset 0)
            await().during(Duration.ofMillis(800)).atMost(Duration.ofSeconds(5)).until(() -> committed(bundle, topic) == 0);

            sandbox.faults("pyrus").releaseHeld();
            await().atMost(Duration.ofSeconds(30)).until(() -> committed(bundle, topic) == 6);
        }
    }

    @Test
    void theConsumerPausesWhileTheBufferIsFullAndResumesWhenItDrains() {
        PyrusWorkload workload = new PyrusWorkload(sandbox.pyrus(), 60);
        List<PyrusWorkload.Command> commands = workload.commands("buffer", 60);
        sandbox.faults("pyrus").hold("buffer-");
        try (BundleUnderTest bundle = BundleUnderTest.start(sandbox, Map.of("tasks.kafka.max-in-flight", "2",
                "tasks.kafka.max-buffered", "6", "tasks.kafka.max-poll-records", "3"))) {
            commands.forEach(c -> TestKafka.produce(bundle.topic("task.comment"), c.key(), c.value(), Map.of()));
            await().atMost(Duration.ofSeconds(30)).until(() -> lanes(bundle).buffered() >= 6);

            // the cap plus at most one poll's records; the other 50-odd records stay in Kafka
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).until(() -> lanes(bundle).buffered() <= 9);

            sandbox.faults("pyrus").releaseHeld();
            Set<String> ids = commands.stream().map(PyrusWorkload.Command::id).collect(Collectors.toSet());
            assertThat(Records.byCommandId(bundle.topic("task.results"), ids, Duration.ofSeconds(60))).hasSize(60);
        }
        assertThat(PyrusWorkload.effects(sandbox.pyrus(), commands, "buffer").values()).hasSize(60).containsOnly(1);
    }

    @Test
    void a429HoldsEveryCallToThatProviderUntilItsResetHint() {
        PyrusWorkload workload = new PyrusWorkload(sandbox.pyrus(), 12);
        List<PyrusWorkload.Command> commands = workload.commands("limit", 12);
        int before;
        try (BundleUnderTest bundle = BundleUnderTest.start(sandbox, Map.of("tasks.kafka.max-in-flight", "4"))) {
            String topic = bundle.topic("task.comment");
            // the token exchange first, so that the 429 below lands on a comment call
            TestKafka.produce(topic, commands.get(0).key(), commands.get(0).value(), Map.of());
            Records.byCommandId(bundle.topic("task.results"), Set.of(commands.get(0).id()), Duration.ofSeconds(30));
            before = comments().size();
            sandbox.faults("pyrus").latency(Duration.ofMillis(100)).rateLimitNext(1, 2);

            commands.stream().skip(1).forEach(c -> TestKafka.produce(topic, c.key(), c.value(), Map.of()));
            Set<String> ids = commands.stream().skip(1).map(PyrusWorkload.Command::id).collect(Collectors.toSet());
            Records.byCommandId(bundle.topic("task.results"), ids, Duration.ofSeconds(60));
        }
        List<RecordedRequest> calls = comments().subList(before, comments().size());
        // the first call was answered 429 (Retry-After: 2) after the 100 ms latency; the calls already on their way
        // finish, but no new one starts until the two seconds have passed
        java.time.Instant answered = calls.get(0).receivedAt().plusMillis(100);
        List<RecordedRequest> during = calls.stream()
                .filter(r -> r.receivedAt().isAfter(answered.plusMillis(50)) && r.receivedAt().isBefore(answered.plusMillis(1900)))
                .toList();
        assertThat(during).as("calls started while the provider asked to wait").isEmpty();
        assertThat(calls).hasSize(12); // eleven commands, one of them twice
    }

    private static List<RecordedRequest> comments() {
        return sandbox.requests("pyrus").stream().filter(r -> r.path().endsWith("/comments")).toList();
    }

    private static KeyOrderedLanes lanes(BundleUnderTest bundle) {
        return bundle.context().getRegistry().lookupByNameAndType("taskRoutes.kafkaLanes", KeyOrderedLanes.class);
    }

    private static long committed(BundleUnderTest bundle, String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrap()))) {
            OffsetAndMetadata offset = admin.listConsumerGroupOffsets(bundle.groupId()).partitionsToOffsetAndMetadata().get()
                    .get(new TopicPartition(topic, 0));
            return offset == null ? 0 : offset.offset();
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
