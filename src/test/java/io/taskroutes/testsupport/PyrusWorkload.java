package io.taskroutes.testsupport;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.taskroutes.sandbox.PyrusSimulator;

/**
 * Commands whose effects the sandbox can audit: each is a Pyrus comment whose text is the command id, on the
 * task named by the record key. The comments on a task show which commands took effect, how often, in which order.
 */
public final class PyrusWorkload {

    public record Command(String id, long taskId, int seq, byte[] key, byte[] value) {
    }

    private final List<Long> taskIds = new ArrayList<>();

    public PyrusWorkload(PyrusSimulator pyrus, int keys) {
        for (int i = 0; i < keys; i++) {
            taskIds.add(pyrus.seedTask("workload task " + i));
        }
    }

    /** {@code n} commands spread round-robin over the keys; per key, seq increases in produce order. */
    public List<Command> commands(String runId, int n) {
        List<Command> commands = new ArrayList<>();
        Map<Long, Integer> seqByTask = new HashMap<>();
        for (int i = 0; i < n; i++) {
            long taskId = taskIds.get(i % taskIds.size());
            int seq = seqByTask.merge(taskId, 1, Integer::sum);
            String id = runId + "-" + taskId + "-" + seq;
            String json = "{\"id\":\"" + id + "\",\"provider\":\"pyrus\",\"taskId\":" + taskId + ",\"text\":\"" + id + "\"}";
            commands.add(new Command(id, taskId, seq, String.valueOf(taskId).getBytes(StandardCharsets.UTF_8),
                    json.getBytes(StandardCharsets.UTF_8)));
        }
        return commands;
    }

    /** How often each command id took effect, from the comments the simulator holds. */
    public static Map<String, Integer> effects(PyrusSimulator pyrus, List<Command> commands, String runId) {
        Map<String, Integer> effects = new HashMap<>();
        commands.stream().map(Command::taskId).distinct().forEach(taskId ->
                pyrus.commentTexts(taskId).stream().filter(t -> t != null && t.startsWith(runId + "-"))
                        .forEach(t -> effects.merge(t, 1, Integer::sum)));
        return effects;
    }

    /** Keys whose effects did not arrive in produce order (by seq), with the order seen. */
    public static Map<Long, List<String>> orderViolations(PyrusSimulator pyrus, List<Command> commands, String runId) {
        Map<Long, List<String>> violations = new HashMap<>();
        commands.stream().map(Command::taskId).distinct().forEach(taskId -> {
            List<String> seen = pyrus.commentTexts(taskId).stream().filter(t -> t != null && t.startsWith(runId + "-")).toList();
            int last = 0;
            for (String text : seen) {
                int seq = Integer.parseInt(text.substring(text.lastIndexOf('-') + 1));
                if (seq < last) {
                    violations.put(taskId, seen);
                    break;
                }
                last = seq;
            }
        });
        return violations;
    }
}
