package io.taskroutes.bench;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Consumer;

import io.taskroutes.sandbox.PyrusSimulator;
import io.taskroutes.testsupport.PyrusWorkload;

/**
 * Runs one {@link RunSpec}: fresh topics and group, a clean sandbox, the contender started and consuming, a warm-up
 * at 0 ms, then the measured batch at the run's latency; then the audit.
 */
final class RunDriver {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration WARMUP_TIMEOUT = Duration.ofSeconds(120);
    /** Warm-up commands go to their own tasks, so the measured tasks start with no comments. */
    private static final int WARMUP_KEYS = 100;

    private final Workbench bench;
    private final int keys;
    private final Duration drainTimeout;
    private final Consumer<String> progress;
    private int runs;

    RunDriver(Workbench bench, int keys, Duration drainTimeout, Consumer<String> progress) {
        this.bench = bench;
        this.keys = keys;
        this.drainTimeout = drainTimeout;
        this.progress = progress;
    }

    /** Never throws for a failed run: the failure is part of the result. */
    RunResult run(RunSpec spec) {
        String runId = "r" + (++runs) + "-" + spec.kind().slug + "-" + spec.partitions() + "p-" + spec.latencyMs() + "ms-" + spec.inFlight();
        progress.accept(runId + ": " + spec.describe());
        try {
            return measure(spec, runId);
        } catch (RuntimeException e) {
            progress.accept(runId + ": FAILED " + e);
            return RunResult.failed(spec, e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse(""));
        }
    }

    private RunResult measure(RunSpec spec, String runId) {
        PyrusSimulator pyrus = bench.sandbox.pyrus();
        // a clean sandbox per run: no earlier comments make the answers (the whole task) grow, no request log piles up
        bench.sandbox.reset();
        bench.sandbox.faults("pyrus").latency(Duration.ZERO);
        Workbench.Topics topics = bench.topics(runId, spec.partitions());
        List<PyrusWorkload.Command> commands = new PyrusWorkload(pyrus, keys).commands(runId, spec.commands());
        String warmRunId = runId + "w";
        List<PyrusWorkload.Command> warmup = spec.warmup() == 0 ? List.of()
                : new PyrusWorkload(pyrus, Math.min(keys, WARMUP_KEYS)).commands(warmRunId, spec.warmup());

        long started = System.nanoTime();
        Drain drain;
        try (ResultCollector results = new ResultCollector(bench.brokers(), topics.results(), spec.partitions())) {
            Contender contender = spec.factory().start(bench, topics, spec.inFlight());
            Drain.Window window;
            try {
                bench.awaitAssigned(topics, contender, READY_TIMEOUT);
                progress.accept(runId + ": consuming after " + seconds(System.nanoTime() - started));
                if (!warmup.isEmpty()) {
                    long w = System.nanoTime();
                    bench.produce(topics.commands(), warmup);
                    if (!results.awaitAll(ids(warmup), System.nanoTime() + WARMUP_TIMEOUT.toNanos())) {
                        throw new IllegalStateException("the " + warmup.size() + " warm-up commands were not drained within "
                                + WARMUP_TIMEOUT + "\n" + contender.diagnostics());
                    }
                    progress.accept(runId + ": warm-up of " + warmup.size() + " at 0 ms drained in " + seconds(System.nanoTime() - w));
                }
                bench.sandbox.faults("pyrus").latency(Duration.ofMillis(spec.latencyMs()));
                CpuMeter cpu = CpuMeter.start(contender.pid());
                long drainStart = System.nanoTime();
                long[] produced = bench.produce(topics.commands(), commands);
                results.awaitAll(ids(commands), drainStart + drainTimeout.toNanos());
                window = new Drain.Window(produced, results.snapshot(), (System.nanoTime() - drainStart) / 1_000_000,
                        cpu.foreignShare(), cpu.bundleCpuMs(), cpu.machineCpuMs(), contender.peakRssBytes());
                if (!contender.isAlive()) {
                    throw new IllegalStateException(contender.name() + " died during the run\n" + contender.diagnostics());
                }
            } finally {
                contender.close(); // stopped before the results are read to the end: nothing more can arrive
            }
            drain = new Drain(window, results.finish());
        }
        bench.sandbox.faults("pyrus").latency(Duration.ZERO);
        return audit(spec, runId, warmRunId, commands, warmup, drain, topics);
    }

    /** What a run observed: the measured window (until the drain completed or hit its time bound), then everything. */
    private record Drain(Window window, Map<String, List<ResultCollector.Seen>> all) {

        /** Command timestamps, the results seen by the end of the window, its length, CPU and memory figures. */
        record Window(long[] produced, Map<String, List<ResultCollector.Seen>> results, long drainMs, double foreignCpu,
                      double bundleCpuMs, double machineCpuMs, OptionalLong rss) {
        }
    }

    private RunResult audit(RunSpec spec, String runId, String warmRunId, List<PyrusWorkload.Command> commands,
                            List<PyrusWorkload.Command> warmup, Drain drain, Workbench.Topics topics) {
        Drain.Window w = drain.window();
        long[] produced = w.produced();
        Map<String, List<ResultCollector.Seen>> atDeadline = w.results();
        Map<String, List<ResultCollector.Seen>> all = drain.all();
        // figures: from the first command's produce time to the last result, over what was drained by the deadline
        long firstProduced = Arrays.stream(produced).min().orElse(0);
        long lastResult = firstProduced;
        long[] latencies = new long[commands.size()];
        int drained = 0;
        for (int i = 0; i < commands.size(); i++) {
            List<ResultCollector.Seen> seen = atDeadline.get(commands.get(i).id());
            if (seen != null) {
                long first = seen.stream().mapToLong(ResultCollector.Seen::timestamp).min().orElseThrow();
                lastResult = Math.max(lastResult, first);
                latencies[drained++] = first - produced[i];
            }
        }
        latencies = Arrays.copyOf(latencies, drained);
        Arrays.sort(latencies);
        double throughput = drained == 0 ? 0 : drained * 1000.0 / Math.max(1, lastResult - firstProduced);

        // audit: every command one result and one effect, per-key order as the sandbox saw it
        PyrusSimulator pyrus = bench.sandbox.pyrus();
        Map<String, Integer> effects = PyrusWorkload.effects(pyrus, commands, runId);
        boolean complete = drained == commands.size();
        int lost = 0, errors = 0, twice = 0, extra = 0;
        for (PyrusWorkload.Command c : commands) {
            List<ResultCollector.Seen> seen = all.getOrDefault(c.id(), List.of());
            int applied = effects.getOrDefault(c.id(), 0);
            boolean ok = seen.stream().anyMatch(s -> !s.error());
            if (seen.stream().anyMatch(ResultCollector.Seen::error)) {
                errors++;
            }
            // an ok result without an effect is lost in any run; no result at all only counts once the drain completed
            if ((ok && applied == 0) || (complete && (seen.isEmpty() || applied == 0))) {
                lost++;
            }
            if (applied > 1) {
                twice++;
            }
            if (seen.size() > 1 && extra == 0) {
                progress.accept(runId + ": more than one result for " + c.id() + " (applied " + applied + "x): " + seen);
            }
            extra += Math.max(0, seen.size() - 1);
        }
        int disorder = PyrusWorkload.orderViolations(pyrus, commands, runId).size()
                + PyrusWorkload.orderViolations(pyrus, warmup, warmRunId).size();
        long dead = bench.count(topics.dlq(), 1);
        RunResult r = new RunResult(spec, drained, throughput, percentile(latencies, 50), percentile(latencies, 99), w.rss(),
                lost, errors, disorder, twice, extra, dead, w.drainMs(), w.foreignCpu(),
                // CPU over the drain window per command drained (commands still in flight at the end of a partial
                // drain make this a slight overestimate)
                drained == 0 ? Double.NaN : w.bundleCpuMs() / drained, drained == 0 ? Double.NaN : w.machineCpuMs() / drained, null);
        progress.accept(runId + String.format(java.util.Locale.ROOT, ": %,d drained, %,.0f cmd/s, p50 %d ms, p99 %d ms; %s",
                drained, throughput, r.p50Ms(), r.p99Ms(), r.check()));
        return r;
    }

    /** Nearest-rank percentile of sorted values. */
    static long percentile(long[] sorted, int p) {
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    private static List<String> ids(List<PyrusWorkload.Command> commands) {
        return commands.stream().map(PyrusWorkload.Command::id).toList();
    }

    private static String seconds(long nanos) {
        return String.format(java.util.Locale.ROOT, "%.1f s", nanos / 1e9);
    }
}
