package io.taskroutes.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.taskroutes.sandbox.EmbeddedKafkaBroker;

/**
 * A Kafka broker (the sandbox's KRaft broker) in a JVM of its own, as a user runs one next to the bundle: its CPU is
 * then not the bench's. {@link #main} prints the bootstrap address and serves until SIGTERM.
 */
final class BrokerProcess implements AutoCloseable {

    private static final String READY = "BOOTSTRAP ";

    private final Process process;
    private final String bootstrap;

    private BrokerProcess(Process process, String bootstrap) {
        this.process = process;
        this.bootstrap = bootstrap;
    }

    public static void main(String[] args) throws InterruptedException {
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start();
        Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "broker-stop"));
        System.out.println(READY + broker.bootstrapServers());
        System.out.flush();
        Thread.currentThread().join();
    }

    static BrokerProcess start(String xmx) {
        try {
            Files.createDirectories(BundleProcess.LOGS);
            String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process process = new ProcessBuilder(List.of(javaBin, "-Xmx" + xmx, "-cp", System.getProperty("java.class.path"),
                    "-Dlogback.configurationFile=bench/logback.xml", BrokerProcess.class.getName()))
                    .redirectErrorStream(true).start();
            BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            Path log = BundleProcess.LOGS.resolve("broker.log");
            String line;
            while ((line = out.readLine()) != null) {
                Files.writeString(log, line + "\n", StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE,
                        java.nio.file.StandardOpenOption.APPEND);
                if (line.startsWith(READY)) {
                    String bootstrap = line.substring(READY.length()).trim();
                    // the rest of its output is not needed; drained so the broker never blocks on a full pipe
                    Thread drain = new Thread(() -> out.lines().forEach(l -> { }), "broker-output");
                    drain.setDaemon(true);
                    drain.start();
                    return new BrokerProcess(process, bootstrap);
                }
            }
            throw new IllegalStateException("the broker process ended before it was ready; see " + log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the broker process", e);
        }
    }

    String bootstrap() {
        return bootstrap;
    }

    long pid() {
        return process.pid();
    }

    @Override
    public void close() {
        stop(process, 20);
    }

    /** SIGTERM, as a service manager stops a process; SIGKILL if it takes longer than {@code seconds}. */
    static void stop(Process process, long seconds) {
        process.destroy();
        try {
            if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
