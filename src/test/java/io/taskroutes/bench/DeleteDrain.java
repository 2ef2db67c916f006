package io.taskroutes.bench;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Consumer;

import io.taskroutes.sandbox.PixflowSimulator;
import io.taskroutes.sandbox.RecordedRequest;

/**
 * The drain a new user tries first: Pixflow deletes of distinct tasks over many keys from a partitioned topic, with
 * the broker a process of its own and the caller (this JVM: the producer, and the sandbox standing in for Pixflow)
 * on the same cores as the bundle. Audited like every run: one ok result and one delete call per command, each key's
 * deletes in produce order, every task gone.
 */
final class DeleteDrain {

    /** What one delete drain measured. */
    record Result(int commands, int keys, int partitions, int latencyMs, int inFlight, int drained, double throughput,
                  OptionalLong rss, double bundleCpuMsPerCommand, double brokerCpuMsPerCommand, double machineCpuMsPerCommand,
                  int lost, int errors, int twice, int disorder, String failure) {

        static Result failed(BenchOptions o, int partitions, String why) {
            return new Result(o.commands(), o.keys(), partitions, o.latencyMs(), o.inFlight(), 0, 0, OptionalLong.empty(),
                    Double.NaN, Double.NaN, Double.NaN, 0, 0, 0, 0, why);
        }

        boolean broken() {
            return failure != null || lost > 0 || errors > 0 || twice > 0 || disorder > 0;
        }

        String check() {
            if (failure != null) {
                return "FAILED: " + failure;
            }
            List<String> findings = new ArrayList<>();
            if (drained < commands) {
                findings.add(String.format(Locale.ROOT, "partial: %,d of %,d", drained, commands));
            }
            if (lost > 0) {
                findings.add(lost + " lost");
            }
            if (errors > 0) {
                findings.add(errors + " error results");
            }
            if (twice > 0) {
                findings.add(twice + " deleted twice");
            }
            if (disorder > 0) {
                findings.add(disorder + " keys out of order");
            }
            return findings.isEmpty() ? "ok" : String.join("; ", findings);
        }
    }

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);
    private static final int PARTITIONS = 3;

    private DeleteDrain() {
    }

    static Result run(BenchOptions o, Consumer<String> progress) {
        String runId = "deletes";
        progress.accept(runId + ": broker as its own process, " + o.commands() + " Pixflow deletes over " + o.keys() + " keys, "
                + PARTITIONS + " partitions, " + o.latencyMs() + " ms, " + o.inFlight() + " in flight");
        try (Workbench bench = Workbench.startWithBrokerProcess("512m")) {
            return measure(bench, o, runId, progress);
        } catch (RuntimeException e) {
            progress.accept(runId + ": FAILED " + e);
            return Result.failed(o, PARTITIONS, e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse(""));
        }
    }

    private static Result measure(Workbench bench, BenchOptions o, String runId, Consumer<String> progress) {
        PixflowSimulator pixflow = bench.sandbox.pixflow();
        // the bundle consumes every operation's topic (the task.comment one stays empty); it drains the delete topic
        Workbench.Topics all = bench.topics(runId, PARTITIONS, "task-delete");
        Workbench.Topics topics = all.forOperation("task-delete");
        int warmupCount = Math.min(o.warmup(), o.commands());
        Batch warmup = Batch.of("w", warmupCount, Math.min(o.keys(), 100));
        Batch batch = Batch.of("m", o.commands(), o.keys());
        warmup.uids.forEach(uid -> pixflow.seedTask(uid, "10"));
        batch.uids.forEach(uid -> pixflow.seedTask(uid, "10"));
        try (ResultCollector results = new ResultCollector(bench.brokers(), topics.results(), PARTITIONS)) {
            Contender bundle = BundleProcess.factory(o.bundleJar(), o.bundleXmx(), o.bundleEnv()).start(bench, all, o.inFlight());
            try {
                bench.awaitAssigned(topics, bundle, READY_TIMEOUT);
                if (warmupCount > 0) {
                    bench.produce(topics.commands(), warmup.keys, warmup.values);
                    if (!results.awaitAll(warmup.ids, System.nanoTime() + READY_TIMEOUT.toNanos())) {
                        throw new IllegalStateException("the warm-up deletes were not drained\n" + bundle.diagnostics());
                    }
                    progress.accept(runId + ": warm-up of " + warmupCount + " drained");
                }
                bench.sandbox.faults("pixflow").latency(Duration.ofMillis(o.latencyMs()));
                CpuMeter cpu = CpuMeter.start(bundle.pid());
                CpuMeter brokerCpu = CpuMeter.start(bench.brokerPid());
                long start = System.nanoTime();
                long[] produced = bench.produce(topics.commands(), batch.keys, batch.values);
                results.awaitAll(batch.ids, start + Duration.ofSeconds(o.drainTimeoutS()).toNanos());
                Map<String, List<ResultCollector.Seen>> seen = results.snapshot();
                double bundleMs = cpu.bundleCpuMs();
                double brokerMs = brokerCpu.bundleCpuMs();
                double machineMs = cpu.machineCpuMs();
                OptionalLong rss = bundle.peakRssBytes();
                bench.sandbox.faults("pixflow").latency(Duration.ZERO);
                return audit(o, bench, batch, produced, seen, rss, bundleMs, brokerMs, machineMs, progress, runId);
            } finally {
                bundle.close();
            }
        }
    }

    private static Result audit(BenchOptions o, Workbench bench, Batch batch, long[] produced,
                                Map<String, List<ResultCollector.Seen>> seen, OptionalLong rss, double bundleMs, double brokerMs,
                                double machineMs, Consumer<String> progress, String runId) {
        long first = java.util.Arrays.stream(produced).min().orElse(0);
        long last = first;
        int drained = 0, errors = 0, lost = 0;
        for (String id : batch.ids) {
            List<ResultCollector.Seen> s = seen.get(id);
            if (s == null) {
                lost++;
                continue;
            }
            drained++;
            last = Math.max(last, s.stream().mapToLong(ResultCollector.Seen::timestamp).min().orElseThrow());
            if (s.stream().anyMatch(ResultCollector.Seen::error)) {
                errors++;
            }
        }
        // the sandbox's log of delete calls: each task once, each key's tasks in produce order, every task gone
        Map<String, Integer> calls = new HashMap<>();
        Map<String, Integer> lastOfKey = new HashMap<>();
        java.util.Set<String> disordered = new java.util.HashSet<>();
        for (RecordedRequest r : bench.sandbox.requests("pixflow")) {
            if (!r.path().endsWith("/task/delete")) {
                continue;
            }
            String uid = r.formParams().get("task_uid");
            Integer index = batch.index.get(uid);
            if (index == null) {
                continue; // a warm-up delete
            }
            calls.merge(uid, 1, Integer::sum);
            String key = batch.keyOf(index);
            Integer before = lastOfKey.put(key, index);
            if (before != null && before > index) {
                disordered.add(key);
            }
        }
        int twice = (int) calls.values().stream().filter(n -> n > 1).count();
        long remaining = batch.uids.stream().filter(uid -> bench.sandbox.pixflow().status(uid).isPresent()).count();
        if (drained == batch.ids.size() && remaining > 0) {
            lost += (int) remaining;
        }
        double throughput = drained == 0 ? 0 : drained * 1000.0 / Math.max(1, last - first);
        Result result = new Result(o.commands(), o.keys(), PARTITIONS, o.latencyMs(), o.inFlight(), drained, throughput, rss,
                drained == 0 ? Double.NaN : bundleMs / drained, drained == 0 ? Double.NaN : brokerMs / drained,
                drained == 0 ? Double.NaN : machineMs / drained, lost, errors, twice, disordered.size(), null);
        progress.accept(runId + String.format(Locale.ROOT, ": %,d drained, %,.0f cmd/s; %s", drained, throughput, result.check()));
        return result;
    }

    /** Commands {@code i = 0..n-1}: delete task {@code <tag>t<i>}, key {@code k<i mod keys>} (so each key's tasks ascend). */
    private record Batch(List<String> ids, List<String> uids, List<byte[]> keys, List<byte[]> values, Map<String, Integer> index,
                         int keyCount) {

        static Batch of(String tag, int n, int keyCount) {
            String run = tag + Long.toString(System.nanoTime() % 1_000_000_000L, 36);
            List<String> ids = new ArrayList<>(n), uids = new ArrayList<>(n);
            List<byte[]> keys = new ArrayList<>(n), values = new ArrayList<>(n);
            Map<String, Integer> index = new HashMap<>();
            for (int i = 0; i < n; i++) {
                String id = run + "-" + i;
                String uid = run + "t" + i;
                ids.add(id);
                uids.add(uid);
                index.put(uid, i);
                keys.add(("k" + (i % keyCount)).getBytes(StandardCharsets.UTF_8));
                values.add(("{\"id\":\"" + id + "\",\"provider\":\"pixflow\",\"taskId\":\"" + uid + "\"}").getBytes(StandardCharsets.UTF_8));
            }
            return new Batch(ids, uids, keys, values, index, keyCount);
        }

        String keyOf(int index) {
            return "k" + (index % keyCount);
        }
    }
}
