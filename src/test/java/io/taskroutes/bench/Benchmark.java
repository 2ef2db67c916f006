package io.taskroutes.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code bench/run}: drains the same Pyrus workload through the bundle and two baselines against the sandbox and
 * reports throughput, latency, memory and the targets. Not a test: nothing here runs in {@code mvn verify}.
 * <p>
 * Runs, in order, at the configured latency and then at 0 ms: for each in-flight limit and partition count the bundle
 * and right after it the bare-metal loop, then the camel-kafka default route; then the optional in-flight sweep.
 */
public final class Benchmark {

    private Benchmark() {
    }

    public static void main(String[] args) throws IOException {
        if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
            System.out.println(BenchOptions.help());
            return;
        }
        BenchOptions o;
        try {
            o = BenchOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("bench: " + e.getMessage());
            System.exit(2);
            return;
        }
        System.exit(run(o));
    }

    static int run(BenchOptions o) throws IOException {
        long began = System.nanoTime();
        String load = Report.idleCheck();
        progress(load);
        List<RunResult> runs = new ArrayList<>();
        List<RunResult> sweep = new ArrayList<>();
        progress("starting the Kafka broker and the provider sandbox");
        try (Workbench bench = Workbench.start()) {
            RunDriver driver = new RunDriver(bench, o.keys(), Duration.ofSeconds(o.drainTimeoutS()), Benchmark::progress);
            Contender.Factory bundle = BundleProcess.factory(o.bundleJar(), o.bundleXmx(), o.bundleEnv());
            Contender.Factory loop = BareMetalLoop.factory(o.bundleXmx());
            int camelSample = o.baselineCommands();
            List<Integer> latencies = o.latencyMs() == 0 ? List.of(0) : List.of(o.latencyMs(), 0);
            List<RunSpec> plan = new ArrayList<>();
            for (int latency : latencies) {
                // the bundle and the loop side by side on each topic shape and limit, the loop right after the bundle
                for (int inFlight : o.inFlights()) {
                    for (int partitions : o.partitions()) {
                        plan.add(new RunSpec(RunSpec.Kind.BUNDLE, bundle, partitions, latency, inFlight, o.commands(), o.warmup()));
                        plan.add(new RunSpec(RunSpec.Kind.BARE, loop, partitions, latency, inFlight, o.commands(), o.warmup()));
                    }
                }
                // the default route handles one record at a time: in flight 1
                plan.add(new RunSpec(RunSpec.Kind.CAMEL, CamelDefaultRoute.factory(), 1, latency, 1, camelSample,
                        Math.min(o.warmup(), camelSample)));
            }
            // the broker and the sandbox share this JVM: compiled before the first measured run, not during it
            progress("warming up the broker and the sandbox (not reported)");
            driver.run(new RunSpec(RunSpec.Kind.BARE, loop, 1, 0, o.inFlight(), Math.min(5_000, 2 * o.commands()), 0));
            plan.stream().filter(s -> o.only().contains(s.kind())).forEach(s -> runs.add(driver.run(s)));
            for (int limit : o.sweep()) {
                int warmup = Math.min(o.warmup(), o.sweepCommands());
                List<RunSpec> point = List.of(
                        new RunSpec(RunSpec.Kind.BUNDLE, bundle, 1, o.latencyMs(), limit, o.sweepCommands(), warmup),
                        new RunSpec(RunSpec.Kind.BARE, loop, 1, o.latencyMs(), limit, o.sweepCommands(), warmup));
                point.stream().filter(s -> o.only().contains(s.kind())).forEach(s -> sweep.add(driver.run(s)));
            }
        }
        // last, with a broker of its own: the workbench above is closed, so its broker uses no CPU meanwhile
        DeleteDrain.Result deletes = o.deletes() ? DeleteDrain.run(o, Benchmark::progress) : null;
        Duration took = Duration.ofNanos(System.nanoTime() - began);
        Path svg = svgPath(o.out());
        Report report = new Report(o, runs, sweep, deletes, took, svg.getFileName().toString(), load);
        System.out.println();
        System.out.println(report.markdown());
        report.write(o.out());
        progress("wrote " + o.out());
        if (!sweep.isEmpty()) {
            Files.writeString(svg, report.svg());
            progress("wrote " + svg);
        }
        boolean broken = runs.stream().anyMatch(RunResult::broken) || sweep.stream().anyMatch(RunResult::broken)
                || deletes != null && deletes.broken();
        if (broken) {
            progress("FAILED: a command was lost, failed or applied out of order, or a run did not work (see the check column)");
        }
        progress(String.format(java.util.Locale.ROOT, "done in %d min %02d s", took.toMinutes(), took.toSecondsPart()));
        return broken ? 1 : 0;
    }

    /** latest.md -> throughput-vs-inflight.svg next to it; other.md -> other-throughput-vs-inflight.svg. */
    static Path svgPath(Path markdown) {
        String name = markdown.getFileName().toString();
        String stem = name.endsWith(".md") ? name.substring(0, name.length() - 3) : name;
        String svg = stem.equals("latest") ? "throughput-vs-inflight.svg" : stem + "-throughput-vs-inflight.svg";
        return markdown.resolveSibling(svg);
    }

    private static void progress(String line) {
        System.err.println("[bench " + java.time.LocalTime.now().withNano(0) + "] " + line);
    }
}
