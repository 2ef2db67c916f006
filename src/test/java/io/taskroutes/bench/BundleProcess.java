package io.taskroutes.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

import io.taskroutes.testsupport.JarProcess;

/**
 * The packaged bundle ({@code target/task-routes.jar}) as its own process in the prod profile, configured only
 * through environment variables as in production (and as CrashIT does), so its memory can be read from /proc.
 */
final class BundleProcess implements Contender {

    /** One directory per bench invocation, so a later run never overwrites the logs of an earlier one. */
    static final Path LOGS = Path.of("target", "bench", "logs",
            java.time.LocalDateTime.now().format(java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));

    private final JarProcess jar;

    private BundleProcess(JarProcess jar) {
        this.jar = jar;
    }

    /** A factory for {@link Contender.Factory}: the bundle with -Xmx{@code xmx} and any extra variables. */
    static Contender.Factory factory(Path jar, String xmx, Map<String, String> extraEnv) {
        return (bench, topics, inFlight) -> start(jar, bench, topics, inFlight, xmx, extraEnv);
    }

    static BundleProcess start(Path jarFile, Workbench bench, Workbench.Topics t, int inFlight, String xmx, Map<String, String> extraEnv) {
        if (!Files.isRegularFile(jarFile)) {
            throw new IllegalStateException(jarFile + " is missing: build it with mvn -DskipTests package (bench/run does)");
        }
        // the sandbox's tasks.<provider>.* client settings, as environment variables (tasks.pyrus.base-url -> TASKS_PYRUS_BASE_URL)
        Map<String, String> env = JarProcess.environmentOf(bench.sandbox.clientProperties());
        env.put("CAMEL_MAIN_PROFILE", "prod");
        env.put("TASKS_KAFKA_BROKERS", bench.brokers());
        env.put("TASKS_KAFKA_GROUP_ID", t.group());
        env.put("TASKS_KAFKA_RESULT_TOPIC", t.results());
        env.put("TASKS_KAFKA_DLQ_TOPIC", t.dlq());
        env.put("TASKS_KAFKA_TOPIC_TASK_COMMENT", t.commands());
        for (String operation : Workbench.Topics.OTHER_OPERATIONS) {
            env.put(io.taskroutes.app.EnvironmentOverrides.variableOf("tasks.kafka.topic." + operation), t.otherOperation(operation));
        }
        env.put("TASKS_KAFKA_MAX_IN_FLIGHT", String.valueOf(inFlight));
        env.putAll(extraEnv);
        try {
            Files.createDirectories(LOGS);
            Path tmp = Files.createDirectories(Path.of("target", "bench", "tmp"));
            Path log = LOGS.resolve(t.group() + "-bundle.log");
            return new BundleProcess(JarProcess.start(jarFile, env, tmp.toAbsolutePath(), xmx, log));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the bundle", e);
        }
    }

    @Override
    public String name() {
        return "bundle (pid " + jar.pid() + ")";
    }

    @Override
    public boolean isAlive() {
        return jar.isAlive();
    }

    @Override
    public OptionalLong pid() {
        return OptionalLong.of(jar.pid());
    }

    /** VmHWM: the most resident memory the process ever had (Linux). */
    @Override
    public OptionalLong peakRssBytes() {
        return peakRss(jar.pid());
    }

    /** VmHWM of a process (Linux), empty elsewhere or when it is gone. */
    static OptionalLong peakRss(long pid) {
        Path status = Path.of("/proc", String.valueOf(pid), "status");
        try {
            for (String line : Files.readAllLines(status, StandardCharsets.UTF_8)) {
                if (line.startsWith("VmHWM:")) {
                    String kb = line.substring("VmHWM:".length()).replace("kB", "").trim();
                    return OptionalLong.of(Long.parseLong(kb) * 1024);
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux, or the process is gone
        }
        return OptionalLong.empty();
    }

    @Override
    public String diagnostics() {
        List<String> lines = jar.output().lines().toList();
        return "--- last lines of the bundle's output ---\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    /**
     * SIGTERM, as a container runtime stops it; SIGKILL if its graceful shutdown takes longer than 15 s (after a
     * partial drain it may still be working through what it took; the audit does not need that, the time bound does).
     */
    @Override
    public void close() {
        jar.stop(Duration.ofSeconds(15));
    }
}
