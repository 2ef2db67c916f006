package io.taskroutes.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import io.taskroutes.command.Json;
import io.taskroutes.sandbox.ProviderSandbox;
import io.taskroutes.sandbox.TrackerSimulator;
import io.taskroutes.testsupport.JarProcess;
import io.taskroutes.testsupport.PyrusWorkload;
import io.taskroutes.testsupport.Records;
import io.taskroutes.testsupport.TestKafka;

/**
 * The packaged bundle killed with SIGKILL three times at random points while it drains four workloads at once
 * (3 partitions each) from a sandbox with latency and 20 % transient 5xx; restarted each time. With the intent of
 * every data-changing command recorded before its call, nothing may be lost and nothing that took effect may be
 * reported failed or applied twice where the provider can tell:
 * <ul>
 * <li>Pyrus comments: each posted exactly once, each key's in produce order; bad records dead-lettered;</li>
 * <li>Pixflow deletes: every task gone, no delete reported failed (an in-doubt "task not found" is success);</li>
 * <li>Yandex Tracker creates: exactly one issue per command (its id is the issue's unique);</li>
 * <li>Pyrus creates (no way to check, {@code tasks.pyrus.in-doubt=dead-letter}): never created twice; those in
 * doubt are dead-lettered as {@code in-doubt}, counted.</li>
 * </ul>
 * Runs with key-ordered concurrency on, so a kill catches up to {@link #IN_FLIGHT} commands mid-call.
 */
class CrashIT {

    static final int COMMENTS = 500;
    static final int KEYS = 50;
    static final int BAD = 10;
    static final int DELETES = 200;
    static final int TRACKER_CREATES = 150;
    static final int PYRUS_CREATES = 100;
    static final int KILLS = 3;
    static final int IN_FLIGHT = 16;

    @TempDir
    Path tmp;

    @Test
    void sigkillThreeTimesWhileDrainingLosesNothingAndRepeatsNothingThatTookEffect() throws Exception {
        long seed = Long.getLong("crash.seed", System.nanoTime());
        Random random = new Random(seed);
        String prefix = "crash" + Long.toHexString(seed & 0xffffff) + ".";
        for (String topic : List.of("task.comment", "task.delete", "task.create", "task.results", "task.dlq")) {
            TestKafka.createTopic(prefix + topic, 3);
        }
        try (ProviderSandbox sandbox = ProviderSandbox.start()) {
            TrackerSimulator tracker = sandbox.simulator(TrackerSimulator.class);
            PyrusWorkload workload = new PyrusWorkload(sandbox.pyrus(), KEYS);
            List<PyrusWorkload.Command> comments = workload.commands(prefix, COMMENTS);
            Set<String> expected = new HashSet<>();
            Set<String> deletes = new HashSet<>();
            Set<String> trackerCreates = new HashSet<>();
            Set<String> pyrusCreates = new HashSet<>();
            // interleaved, so that every kill catches commands of every kind mid-call
            for (int i = 0; i < COMMENTS; i++) {
                PyrusWorkload.Command c = comments.get(i);
                TestKafka.produce(prefix + "task.comment", c.key(), c.value(), Map.of());
                expected.add(c.id());
                if (i % (COMMENTS / BAD) == 0) {
                    String bad = prefix + "bad-" + i;
                    TestKafka.produce(prefix + "task.comment", c.key(), utf8("{\"id\":\"" + bad + "\",\"provider\":\"pyrus\"}"), Map.of());
                    expected.add(bad);
                }
                if (i < DELETES) {
                    String uid = prefix + "px-" + i;
                    sandbox.pixflow().seedTask(uid, "10");
                    deletes.add(produce(prefix, "task.delete", uid, "{\"id\":\"" + uid + "\",\"provider\":\"pixflow\",\"taskId\":\"" + uid + "\"}"));
                }
                if (i < TRACKER_CREATES) {
                    String id = prefix + "tr-" + i;
                    trackerCreates.add(produce(prefix, "task.create", "tr-" + i % KEYS,
                            "{\"id\":\"" + id + "\",\"provider\":\"yandex-tracker\",\"project\":\"TEST\",\"title\":\"" + id + "\"}"));
                }
                if (i < PYRUS_CREATES) {
                    String id = prefix + "pc-" + i;
                    pyrusCreates.add(produce(prefix, "task.create", "pc-" + i % KEYS, "{\"id\":\"" + id + "\",\"provider\":\"pyrus\",\"text\":\"" + id + "\"}"));
                }
            }
            expected.addAll(deletes);
            expected.addAll(trackerCreates);
            expected.addAll(pyrusCreates);
            for (String provider : List.of("pyrus", "pixflow", "yandex-tracker")) {
                sandbox.faults(provider).latency(Duration.ofMillis(25)).failRandomly(20, 503, seed);
            }

            Map<String, String> env = JarProcess.environmentOf(sandbox.clientProperties());
            env.put("CAMEL_MAIN_PROFILE", "prod");
            env.put("TASKS_KAFKA_BROKERS", TestKafka.bootstrap());
            env.put("TASKS_KAFKA_GROUP_ID", prefix + "group");
            env.put("TASKS_KAFKA_RESULT_TOPIC", prefix + "task.results");
            env.put("TASKS_KAFKA_DLQ_TOPIC", prefix + "task.dlq");
            for (String operation : List.of("task-comment", "task-delete", "task-create")) {
                env.put("TASKS_KAFKA_TOPIC_" + operation.toUpperCase().replace('-', '_'), prefix + operation.replace('-', '.'));
            }
            env.put("TASKS_PYRUS_IN_DOUBT", "dead-letter");
            env.put("TASKS_RETRY_MAX_ATTEMPTS", "12");
            env.put("TASKS_RETRY_INITIAL_DELAY_MS", "20");
            env.put("TASKS_RETRY_MAX_DELAY_MS", "200");
            // concurrency on (issue 4): up to 16 provider calls of different keys at once
            env.put("TASKS_KAFKA_MAX_IN_FLIGHT", String.valueOf(IN_FLIGHT));
            // a killed consumer keeps its partitions until its session times out (45 s by default): use the
            // broker's minimum so the restarted instance gets them back quickly
            env.put("TASKS_KAFKA_SESSION_TIMEOUT_MS", "6000");
            env.put("TASKS_KAFKA_HEARTBEAT_INTERVAL_MS", "2000");

            StringBuilder log = new StringBuilder();
            long t0 = System.nanoTime();
            for (int kill = 1; kill <= KILLS; kill++) {
                int before = resultCount(prefix);
                int target = before + 80 + random.nextInt(160);
                try (JarProcess bundle = JarProcess.start(env, tmp)) {
                    Records.readUntil(prefix + "task.results", rs -> rs.size() >= target || !bundle.isAlive(), Duration.ofSeconds(120));
                    assertThat(bundle.isAlive()).as(bundle.output()).isTrue();
                    bundle.kill();
                    log.append("kill ").append(kill).append(" after ").append(resultCount(prefix)).append(" result records at ")
                            .append(Duration.ofNanos(System.nanoTime() - t0).toMillis()).append(" ms\n");
                    Files.writeString(tmp.resolve("bundle-" + kill + ".log"), bundle.output());
                }
            }
            List<ConsumerRecord<byte[], byte[]>> results;
            try (JarProcess bundle = JarProcess.start(env, tmp)) {
                results = Records.readUntil(prefix + "task.results", rs -> rs.stream()
                        .map(r -> Records.header(r, "task.command-id")).collect(Collectors.toSet()).containsAll(expected), Duration.ofSeconds(240));
                log.append("drained at ").append(Duration.ofNanos(System.nanoTime() - t0).toMillis()).append(" ms\n");
                assertThat(bundle.output()).doesNotContain(ProviderSandbox.PYRUS_SECURITY_KEY);
            }
            sandbox.faults("pyrus").clear();

            // the answer per command id: its ok result if it has one (a second one not marked duplicate would be a
            // repeated effect), else its first result (an error; a failure may be dead-lettered again after a kill)
            Map<String, JsonNode> answers = new HashMap<>();
            Set<String> answeredOk = new HashSet<>();
            int duplicateMarked = 0;
            List<String> unmarkedRepeats = new ArrayList<>();
            for (ConsumerRecord<byte[], byte[]> r : results) {
                String id = Records.header(r, "task.command-id");
                JsonNode body = Json.MAPPER.readTree(r.value());
                boolean duplicate = body.path("duplicate").asBoolean();
                if (duplicate) {
                    duplicateMarked++;
                }
                if ("ok".equals(body.path("status").asText()) && !duplicate) {
                    if (!answeredOk.add(id)) {
                        unmarkedRepeats.add(id);
                    }
                    answers.put(id, body);
                } else if (!answeredOk.contains(id)) {
                    answers.putIfAbsent(id, body);
                }
            }
            Function<Set<String>, Map<String, Long>> resolutions = ids -> ids.stream().map(answers::get)
                    .filter(a -> a != null && a.path("inDoubt").asBoolean())
                    .collect(Collectors.groupingBy(a -> a.path("resolution").asText(), Collectors.counting()));

            // Pyrus comments
            Set<String> commentIds = comments.stream().map(PyrusWorkload.Command::id).collect(Collectors.toSet());
            Map<String, Integer> effects = PyrusWorkload.effects(sandbox.pyrus(), comments, prefix);
            long commentsLost = commentIds.stream().filter(id -> !answers.containsKey(id)).count();
            long postedTwice = effects.values().stream().filter(n -> n > 1).count();
            Map<Long, List<String>> disorder = PyrusWorkload.orderViolations(sandbox.pyrus(), comments, prefix);
            List<ConsumerRecord<byte[], byte[]>> dead = Records.readUntil(prefix + "task.dlq",
                    rs -> rs.stream().filter(d -> Records.header(d, "task.command-id").startsWith(prefix + "bad-")).map(d -> Records.header(d, "task.command-id"))
                            .distinct().count() >= BAD, Duration.ofSeconds(30));

            // Pixflow deletes
            long deletesLost = deletes.stream().filter(id -> !answers.containsKey(id)).count();
            List<String> deletesFailed = deletes.stream().filter(id -> answers.containsKey(id) && !"ok".equals(answers.get(id).path("status").asText())).toList();
            long notDeleted = deletes.stream().filter(uid -> sandbox.pixflow().status(uid).isPresent()).count();

            // Tracker creates
            Map<String, Long> issuesPerCommand = tracker.issues().stream().map(i -> i.path("unique").asText())
                    .filter(trackerCreates::contains).collect(Collectors.groupingBy(u -> u, Collectors.counting()));
            long trackerLost = trackerCreates.stream().filter(id -> !answers.containsKey(id)).count();
            long trackerDuplicates = issuesPerCommand.values().stream().filter(n -> n > 1).count();
            long trackerMissing = trackerCreates.stream().filter(id -> !issuesPerCommand.containsKey(id)).count();

            // Pyrus creates: dead-lettered as in-doubt when the crash left them so, else created once
            Map<String, Long> tasksPerCommand = sandbox.pyrus().taskTexts().stream().filter(pyrusCreates::contains)
                    .collect(Collectors.groupingBy(t -> t, Collectors.counting()));
            long pyrusLost = pyrusCreates.stream().filter(id -> !answers.containsKey(id)).count();
            long pyrusCreatedTwice = tasksPerCommand.values().stream().filter(n -> n > 1).count();
            List<String> pyrusInDoubt = pyrusCreates.stream().filter(id -> answers.containsKey(id)
                    && "in-doubt".equals(answers.get(id).path("error").path("reason").asText())).toList();
            List<String> pyrusOtherwiseFailed = pyrusCreates.stream().filter(id -> answers.containsKey(id)
                    && !"ok".equals(answers.get(id).path("status").asText()) && !pyrusInDoubt.contains(id)).toList();
            long pyrusOkNotCreated = pyrusCreates.stream().filter(id -> answers.containsKey(id)
                    && "ok".equals(answers.get(id).path("status").asText()) && !tasksPerCommand.containsKey(id)).count();

            String figures = String.format("seed=%d kills=%d resultRecords=%d duplicateMarkedResults=%d unmarkedRepeats=%s%n"
                            + "comments: %d lost=%d applied=%d postedTwice=%d orderViolations=%d inDoubt=%s badDeadLetters=%d%n"
                            + "pixflow deletes: %d lost=%d reportedFailed=%s notDeleted=%d inDoubt=%s%n"
                            + "tracker creates: %d lost=%d issuesTwice=%d missing=%d inDoubt=%s%n"
                            + "pyrus creates: %d lost=%d createdTwice=%d deadLetteredInDoubt=%d otherwiseFailed=%s okButNotCreated=%d inDoubt=%s%n%s",
                    seed, KILLS, results.size(), duplicateMarked, unmarkedRepeats,
                    COMMENTS, commentsLost, effects.size(), postedTwice, disorder.size(), resolutions.apply(commentIds), dead.size(),
                    DELETES, deletesLost, deletesFailed, notDeleted, resolutions.apply(deletes),
                    TRACKER_CREATES, trackerLost, trackerDuplicates, trackerMissing, resolutions.apply(trackerCreates),
                    PYRUS_CREATES, pyrusLost, pyrusCreatedTwice, pyrusInDoubt.size(), pyrusOtherwiseFailed, pyrusOkNotCreated,
                    resolutions.apply(pyrusCreates), log);
            System.out.println("CRASH-TEST " + figures);
            Files.writeString(Path.of("target", "crash-test.txt"), figures);

            assertThat(unmarkedRepeats).as(figures).isEmpty();
            assertThat(commentsLost).as(figures).isZero();
            assertThat(effects).as(figures).hasSize(COMMENTS);
            assertThat(postedTwice).as(figures).isZero();
            assertThat(disorder).as(figures).isEmpty();
            assertThat(dead.stream().map(d -> Records.header(d, "task.command-id")).filter(id -> id.startsWith(prefix + "bad-")).distinct())
                    .as(figures).hasSize(BAD);
            assertThat(deletesLost).as(figures).isZero();
            assertThat(deletesFailed).as(figures).isEmpty();
            assertThat(notDeleted).as(figures).isZero();
            assertThat(trackerLost).as(figures).isZero();
            assertThat(trackerDuplicates).as(figures).isZero();
            assertThat(trackerMissing).as(figures).isZero();
            assertThat(pyrusLost).as(figures).isZero();
            assertThat(pyrusCreatedTwice).as(figures).isZero();
            assertThat(pyrusOtherwiseFailed).as(figures).isEmpty();
            assertThat(pyrusOkNotCreated).as(figures).isZero();
        }
    }

    private static String produce(String prefix, String operation, String key, String json) throws Exception {
        TestKafka.produce(prefix + operation, utf8(key), utf8(json), Map.of());
        return Json.MAPPER.readTree(json).get("id").asText();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static int resultCount(String prefix) {
        return (int) Records.count(prefix + "task.results");
    }
}
