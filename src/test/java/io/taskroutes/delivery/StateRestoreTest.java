package io.taskroutes.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.taskroutes.kafka.CommandStates;
import io.taskroutes.sandbox.ProviderSandbox;
import io.taskroutes.testsupport.BundleUnderTest;
import io.taskroutes.testsupport.PyrusWorkload;
import io.taskroutes.testsupport.Records;
import io.taskroutes.testsupport.TestKafka;

/**
 * What an instance reads to restore the command states (contract §7, issue 11): only the state partitions of the
 * command partitions it owns, and of those only the de-duplication window — not the history, not the other
 * instances' share. Measured with the store's own restore figures.
 */
class StateRestoreTest {

    static final int PARTITIONS = 4;
    static final int OLD_PER_PARTITION = 25;

    @Test
    void eachInstanceRestoresOnlyItsOwnPartitionsAndOnlyTheWindow() throws Exception {
        try (ProviderSandbox sandbox = ProviderSandbox.start()) {
            String prefix = BundleUnderTest.newPrefix();
            String stateTopic = prefix + "task.comment.state";
            TestKafka.createTopic(stateTopic, PARTITIONS);
            // history from before the window (8 days old): no restore may read it
            long old = System.currentTimeMillis() - Duration.ofDays(8).toMillis();
            for (int p = 0; p < PARTITIONS; p++) {
                for (int i = 0; i < OLD_PER_PARTITION; i++) {
                    TestKafka.produce(new ProducerRecord<>(stateTopic, p, old, utf8("old-" + p + "-" + i), utf8("{\"state\":\"done\",\"at\":" + old + "}")));
                }
            }
            PyrusWorkload workload = new PyrusWorkload(sandbox.pyrus(), 40);
            List<PyrusWorkload.Command> commands = workload.commands("restore", 40);
            Set<String> ids = commands.stream().map(PyrusWorkload.Command::id).collect(Collectors.toSet());
            try (BundleUnderTest first = BundleUnderTest.start(sandbox, Map.of(), PARTITIONS, prefix)) {
                commands.forEach(c -> TestKafka.produce(first.topic("task.comment"), c.key(), c.value(), Map.of()));
                Records.byCommandId(first.topic("task.results"), ids, Duration.ofSeconds(60));
            }
            // per state partition: the records the window holds (each command wrote started, then done)
            Map<Integer, Long> inWindow = new HashMap<>();
            Records.readUntil(stateTopic, rs -> rs.size() >= PARTITIONS * OLD_PER_PARTITION + 2 * commands.size(), Duration.ofSeconds(30))
                    .stream().filter(r -> r.timestamp() > old).forEach(r -> inWindow.merge(r.partition(), 1L, Long::sum));
            assertThat(inWindow.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(2L * commands.size());

            // two instances of one group: each gets its share of the partitions, and restores that share only
            try (BundleUnderTest b = BundleUnderTest.start(sandbox, Map.of(), PARTITIONS, prefix);
                 BundleUnderTest c = BundleUnderTest.start(sandbox, Map.of(), PARTITIONS, prefix)) {
                awaitTwoOwnersOf(prefix + "task.comment", b.groupId());
                // the same commands again: each partition's first record restores it, and each is a duplicate
                commands.forEach(cmd -> TestKafka.produce(b.topic("task.comment"), cmd.key(), cmd.value(), Map.of()));
                Records.readUntil(b.topic("task.results"), rs -> rs.size() >= 2 * commands.size(), Duration.ofSeconds(60));

                List<CommandStates.Restore> restoredByB = states(b).restores();
                List<CommandStates.Restore> restoredByC = states(c).restores();
                Set<Integer> partitionsB = partitions(restoredByB);
                Set<Integer> partitionsC = partitions(restoredByC);
                String figures = "b=" + restoredByB + "\nc=" + restoredByC + "\ninWindow=" + inWindow;
                assertThat(partitionsB).as(figures).isNotEmpty().doesNotContainAnyElementsOf(partitionsC);
                assertThat(partitionsC).as(figures).isNotEmpty();
                assertThat(new TreeSet<>(union(partitionsB, partitionsC))).as(figures).containsExactly(0, 1, 2, 3);
                for (CommandStates.Restore r : concat(restoredByB, restoredByC)) {
                    // the window's records of its own partition, nothing older, nothing of another partition
                    assertThat(r.fromOffset()).as(figures).isEqualTo(OLD_PER_PARTITION);
                    assertThat(r.records()).as(figures).isEqualTo(inWindow.get(r.commandPartition().partition()));
                }
                long readByB = restoredByB.stream().mapToLong(CommandStates.Restore::records).sum();
                long readByC = restoredByC.stream().mapToLong(CommandStates.Restore::records).sum();
                System.out.printf("STATE-RESTORE b read %d records (%d bytes) of partitions %s, c read %d (%d bytes) of %s; the window holds %d, the topic %d%n",
                        readByB, bytes(restoredByB), partitionsB, readByC, bytes(restoredByC), partitionsC, 2 * commands.size(),
                        PARTITIONS * OLD_PER_PARTITION + 2 * commands.size());
                assertThat(readByB + readByC).isEqualTo(2L * commands.size());
            }
            assertThat(PyrusWorkload.effects(sandbox.pyrus(), commands, "restore").values()).hasSize(40).allMatch(n -> n == 1);

            // the id cap bounds a restore too: with 2 ids per partition at most 4 records (started, done) are read
            try (BundleUnderTest capped = BundleUnderTest.start(sandbox, Map.of("tasks.kafka.dedup-max-ids", "2"), PARTITIONS, prefix)) {
                commands.forEach(cmd -> TestKafka.produce(capped.topic("task.comment"), cmd.key(), cmd.value(), Map.of()));
                Records.readUntil(capped.topic("task.results"), rs -> rs.size() >= 3 * commands.size(), Duration.ofSeconds(60));
                assertThat(states(capped).restores()).hasSize(PARTITIONS).allMatch(r -> r.records() <= 4 && r.ids() <= 2);
            }
            // ... and is the window: the ids it dropped were applied again (README: the shorter of window and cap)
            assertThat(PyrusWorkload.effects(sandbox.pyrus(), commands, "restore").values()).contains(2);
        }
    }

    @Test
    void aCommandTopicThatGrewGrowsItsStateTopicSoItsNewPartitionsKeepFlowing() throws Exception {
        try (ProviderSandbox sandbox = ProviderSandbox.start();
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrap()))) {
            String prefix = BundleUnderTest.newPrefix();
            PyrusWorkload workload = new PyrusWorkload(sandbox.pyrus(), 1);
            List<PyrusWorkload.Command> commands = workload.commands("grown", 2);
            // the consumers see a new partition at their next metadata refresh: a component setting they inherit
            try (BundleUnderTest bundle = BundleUnderTest.start(sandbox, Map.of("camel.component.kafka.metadata-max-age-ms", "1000"), 1, prefix)) {
                String topic = bundle.topic("task.comment");
                TestKafka.produce(new ProducerRecord<>(topic, 0, commands.get(0).key(), commands.get(0).value()));
                Records.byCommandId(bundle.topic("task.results"), Set.of(commands.get(0).id()), Duration.ofSeconds(30));
                assertThat(partitionsOf(admin, topic + ".state")).isEqualTo(1);

                admin.createPartitions(Map.of(topic, NewPartitions.increaseTo(2))).all().get();
                // a record in the new partition 1: its state goes to partition 1 of the state topic, which is grown
                TestKafka.produce(new ProducerRecord<>(topic, 1, commands.get(1).key(), commands.get(1).value()));
                Records.byCommandId(bundle.topic("task.results"), Set.of(commands.get(1).id()), Duration.ofSeconds(60));
                assertThat(partitionsOf(admin, topic + ".state")).isEqualTo(2);
            }
        }
    }

    private static int partitionsOf(Admin admin, String topic) throws Exception {
        return admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().size();
    }

    private static void awaitTwoOwnersOf(String topic, String group) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrap()))) {
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> {
                var members = admin.describeConsumerGroups(List.of(group)).all().get().get(group).members();
                return members.stream().map(MemberDescription::assignment)
                        .filter(a -> a.topicPartitions().stream().anyMatch(tp -> tp.topic().equals(topic))).count() == 2
                        && members.stream().flatMap(m -> m.assignment().topicPartitions().stream()).filter(tp -> tp.topic().equals(topic)).count() == PARTITIONS;
            });
        }
    }

    private static CommandStates states(BundleUnderTest bundle) {
        return bundle.context().getRegistry().lookupByNameAndType("taskRoutes.commandStates", CommandStates.class);
    }

    private static Set<Integer> partitions(List<CommandStates.Restore> restores) {
        return restores.stream().map(CommandStates.Restore::commandPartition).map(TopicPartition::partition).collect(Collectors.toSet());
    }

    private static long bytes(List<CommandStates.Restore> restores) {
        return restores.stream().mapToLong(CommandStates.Restore::bytes).sum();
    }

    private static <T> Set<T> union(Set<T> a, Set<T> b) {
        Set<T> all = new java.util.HashSet<>(a);
        all.addAll(b);
        return all;
    }

    private static <T> List<T> concat(List<T> a, List<T> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
