package io.taskroutes.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The hand-written loop ({@link BareMetalLoop#main}) as its own JVM on the bench's class path, with the bundle's
 * {@code -Xmx}: its CPU time and peak memory are measured exactly as the bundle's are.
 */
final class LoopProcess implements Contender {

    private final Process process;
    private final Path log;

    private LoopProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    static LoopProcess start(Workbench bench, Workbench.Topics topics, int inFlight, String xmx) {
        PyrusApi pyrus = PyrusApi.of(bench.sandbox);
        try {
            Files.createDirectories(BundleProcess.LOGS);
            Path log = BundleProcess.LOGS.resolve(topics.group() + "-loop.log");
            String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            ProcessBuilder builder = new ProcessBuilder(List.of(javaBin, "-Xmx" + xmx, "-cp",
                    System.getProperty("java.class.path"), "-Dlogback.configurationFile=bench/logback.xml", BareMetalLoop.class.getName()))
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            Map<String, String> env = builder.environment();
            env.put("BENCH_BROKERS", bench.brokers());
            env.put("BENCH_COMMANDS", topics.commands());
            env.put("BENCH_RESULTS", topics.results());
            env.put("BENCH_DLQ", topics.dlq());
            env.put("BENCH_GROUP", topics.group());
            env.put("BENCH_PARTITIONS", String.valueOf(topics.partitions()));
            env.put("BENCH_IN_FLIGHT", String.valueOf(inFlight));
            env.put("PYRUS_BASE_URL", pyrus.baseUrl());
            env.put("PYRUS_AUTH_URL", pyrus.authUrl());
            env.put("PYRUS_LOGIN", pyrus.login());
            env.put("PYRUS_SECURITY_KEY", pyrus.securityKey());
            return new LoopProcess(builder.start(), log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the bare-metal loop", e);
        }
    }

    @Override
    public String name() {
        return "bare-metal loop (pid " + process.pid() + ")";
    }

    @Override
    public boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public OptionalLong pid() {
        return OptionalLong.of(process.pid());
    }

    @Override
    public OptionalLong peakRssBytes() {
        return BundleProcess.peakRss(process.pid());
    }

    @Override
    public String diagnostics() {
        try {
            List<String> lines = Files.readAllLines(log);
            return "--- last lines of the loop's output ---\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "";
        }
    }

    /** SIGTERM: the loop commits what it finished and exits; SIGKILL if that takes longer than 15 s. */
    @Override
    public void close() {
        BrokerProcess.stop(process, 15);
    }
}
