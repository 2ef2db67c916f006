package io.taskroutes.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The packaged jar as its own process, output captured to a file the test can read and grep. */
public final class JarProcess implements AutoCloseable {

    public static final Path JAR = Path.of("target", "task-routes.jar");

    private final Process process;
    private final Path output;

    private JarProcess(Process process, Path output) {
        this.process = process;
        this.output = output;
    }

    public static JarProcess start(Map<String, String> env, Path tmpDir, String... args) {
        try {
            return start(env, tmpDir, "256m", Files.createTempFile("task-routes-jar", ".log"), args);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The jar with {@code -Xmx<xmx>}, its output to {@code output}, configured only by {@code env}: no TASKS_* or
     * CAMEL_* variable of the caller's environment reaches it.
     */
    public static JarProcess start(Map<String, String> env, Path tmpDir, String xmx, Path output, String... args) {
        return start(JAR, env, tmpDir, xmx, output, args);
    }

    /** As above, another build of the jar (the benchmark compares two). */
    public static JarProcess start(Path jar, Map<String, String> env, Path tmpDir, String xmx, Path output, String... args) {
        try {
            List<String> command = new ArrayList<>(List.of(javaBin(), "-Xmx" + xmx, "-Djava.io.tmpdir=" + tmpDir, "-jar", jar.toString()));
            command.addAll(List.of(args));
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
            builder.environment().keySet().removeIf(k -> k.startsWith("TASKS_") || k.startsWith("CAMEL_"));
            builder.environment().putAll(env);
            return new JarProcess(builder.start(), output);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Configuration keys ({@code tasks.pyrus.base-url}) as the environment variables that set them. */
    public static Map<String, String> environmentOf(Map<String, String> properties) {
        Map<String, String> env = new java.util.HashMap<>();
        properties.forEach((key, value) -> env.put(io.taskroutes.app.EnvironmentOverrides.variableOf(key), value));
        return env;
    }

    private static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    public String output() {
        try {
            return Files.readString(output);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Waits for the process to end by itself; returns its exit code. */
    public int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("process still running after " + timeout + ":\n" + output());
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** SIGKILL: no shutdown hook, no commit, nothing flushed — a crash. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public long pid() {
        return process.pid();
    }

    /** SIGTERM, as a container runtime would stop it. */
    @Override
    public void close() {
        stop(Duration.ofSeconds(30));
    }

    /** SIGTERM; SIGKILL if the graceful stop takes longer than {@code grace}. */
    public void stop(Duration grace) {
        process.destroy();
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
