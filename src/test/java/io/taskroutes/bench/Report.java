package io.taskroutes.bench;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;

/** The Markdown report: setup, one row per run, the targets with PASS/MISS, and the sweep if there was one. */
final class Report {

    static final double TARGET_LIMIT_SHARE = 0.90;
    static final double TARGET_VS_CAMEL = 50;
    static final double TARGET_VS_BARE_AT_0MS = 0.8;
    static final long TARGET_RSS_MIB = 300;

    private final BenchOptions o;
    private final List<RunResult> runs;
    private final List<RunResult> sweep;
    private final Duration took;
    private final String svgName;

    private final String loadAtStart;

    Report(BenchOptions options, List<RunResult> runs, List<RunResult> sweep, Duration took, String svgName, String loadAtStart) {
        this.loadAtStart = loadAtStart;
        this.o = options;
        this.runs = runs;
        this.sweep = sweep;
        this.took = took;
        this.svgName = svgName;
    }

    String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("# task-routes benchmark").append(o.quick() ? " (quick smoke run)" : "").append("\n\n");
        md.append("- date: ").append(ZonedDateTime.now().withNano(0).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME))
                .append(f("; whole run %d min %02d s%n", took.toMinutes(), took.toSecondsPart()));
        md.append("- machine: ").append(machine()).append("; ").append(loadAtStart).append('\n');
        md.append(f("- workload: %,d Pyrus comment commands over %,d keys (tasks), round-robin; sandbox latency %d ms per provider call;"
                + " in-flight limit %d (bundle `TASKS_KAFKA_MAX_IN_FLIGHT` and bare-metal loop); camel-kafka default route on a sample of"
                + " %,d commands (it handles one record at a time)%n", o.commands(), o.keys(), o.latencyMs(), o.inFlight(), o.baselineCommands()));
        md.append(f("- each run: fresh topics and consumer group, clean sandbox, the contender consuming before anything is produced,"
                + " %,d warm-up commands drained at 0 ms (on other keys), then the measured batch produced at once (acks=all);"
                + " a drain is cut off after %d s and reported as partial%n", o.warmup(), o.drainTimeoutS()));
        md.append("- bundle: `target/task-routes.jar` as its own process, prod profile, `-Xmx").append(o.bundleXmx()).append('`')
                .append(o.bundleEnv().isEmpty() ? "" : ", extra env " + o.bundleEnv()).append(
                        "; Kafka: one embedded KRaft broker, and the provider sandbox, both in the bench JVM (the baselines run there too)\n\n");

        md.append("| implementation | partitions | latency ms | in flight | commands | throughput cmd/s | p50 ms | p99 ms"
                + " | limit cmd/s | % of limit | × camel-kafka default | × bare-metal loop | peak RSS MiB | CPU ms/cmd bundle / all | check |\n");
        md.append("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|\n");
        for (RunResult r : runs) {
            md.append(row(r, baseline(RunSpec.Kind.CAMEL, r.spec().latencyMs(), runs),
                    baseline(RunSpec.Kind.BARE, r.spec().latencyMs(), runs))).append('\n');
        }
        md.append("\nlimit = in flight ÷ latency, the most any implementation can drain (the camel-kafka default route has one"
                + " record in flight). Ratios compare"
                + " throughput with the baseline run at the same latency (1 partition). Latency is end to end: result record"
                + " timestamp − command record timestamp; in a drain of a batch produced at once it is mostly queueing"
                + " (p50 ≈ half the drain time). Peak RSS: VmHWM of the bundle process. CPU ms/cmd: CPU time"
                + " during the drain per command drained, of the bundle process and of the whole machine (bundle, broker,"
                + " sandbox, bench; the baselines run inside the bench JVM, so only the whole is shown for them). check: every command one result and"
                + " one effect in the sandbox, each key's effects in produce order.\n\n");

        md.append(targets());
        if (!sweep.isEmpty()) {
            md.append(sweepTable());
        }
        return md.toString();
    }

    private String row(RunResult r, Optional<RunResult> camel, Optional<RunResult> bare) {
        RunSpec s = r.spec();
        if (r.failure() != null) {
            return f("| %s | %d | %d | %d | %,d | | | | %s | | | | | | %s |", s.kind().label, s.partitions(), s.latencyMs(), s.inFlight(),
                    s.commands(), limit(s), r.check());
        }
        return f("| %s | %d | %d | %d | %,d | %,.0f | %,d | %,d | %s | %s | %s | %s | %s | %s | %s |", s.kind().label, s.partitions(),
                s.latencyMs(), s.inFlight(), s.commands(), r.throughput(), r.p50Ms(), r.p99Ms(), limit(s), percentOfLimit(r),
                ratio(r, camel), ratio(r, bare), rss(r.peakRssBytes()),
                cpu(r.bundleCpuMsPerCommand()) + " / " + cpu(r.machineCpuMsPerCommand()), r.check());
    }

    private String targets() {
        StringBuilder md = new StringBuilder("## Targets\n\n");
        if (!o.targetParameters()) {
            md.append(f("The issue states its targets for 50 ms, 1,000 keys, 64 in flight; this run used %d ms, %,d keys, %d in flight,"
                    + " so the verdicts below are indicative only.%n%n", o.latencyMs(), o.keys(), o.inFlight()));
        }
        Optional<RunResult> bundle = find(RunSpec.Kind.BUNDLE, 1, o.latencyMs(), runs);
        Optional<RunResult> camel = baseline(RunSpec.Kind.CAMEL, o.latencyMs(), runs);
        Optional<RunResult> bundle0 = find(RunSpec.Kind.BUNDLE, 1, 0, runs);
        Optional<RunResult> bare0 = baseline(RunSpec.Kind.BARE, 0, runs);

        double limit = o.latencyMs() == 0 ? Double.NaN : o.inFlight() * 1000.0 / o.latencyMs();
        md.append(verdict(bundle.filter(b -> !Double.isNaN(limit)).map(b -> b.throughput() >= TARGET_LIMIT_SHARE * limit),
                f("bundle, 1 partition, %d ms: ≥ %.0f %% of the limit %d ÷ %d ms (≥ %,.0f cmd/s)", o.latencyMs(),
                        TARGET_LIMIT_SHARE * 100, o.inFlight(), o.latencyMs(), TARGET_LIMIT_SHARE * limit),
                bundle.map(b -> f("%,.0f cmd/s = %s of the limit", b.throughput(), percentOfLimit(b)) + partial(b))));
        md.append(verdict(both(bundle, camel).map(p -> p[0].throughput() >= TARGET_VS_CAMEL * p[1].throughput()),
                f("bundle, 1 partition, %d ms: ≥ %.0f× the camel-kafka default route", o.latencyMs(), TARGET_VS_CAMEL),
                both(bundle, camel).map(p -> f("%,.0f vs %,.0f cmd/s = %.1f×", p[0].throughput(), p[1].throughput(),
                        p[0].throughput() / p[1].throughput()) + partial(p[0]))));
        md.append(verdict(both(bundle0, bare0).map(p -> p[0].throughput() >= TARGET_VS_BARE_AT_0MS * p[1].throughput()),
                f("bundle, 1 partition, 0 ms: ≥ %.1f× the hand-written loop", TARGET_VS_BARE_AT_0MS),
                both(bundle0, bare0).map(p -> f("%,.0f vs %,.0f cmd/s = %.2f×", p[0].throughput(), p[1].throughput(),
                        p[0].throughput() / p[1].throughput()) + partial(p[0]))));
        OptionalLong peak = runs.stream().filter(r -> r.spec().kind() == RunSpec.Kind.BUNDLE && r.peakRssBytes().isPresent())
                .mapToLong(r -> r.peakRssBytes().getAsLong()).max();
        md.append(verdict(peak.isPresent() ? Optional.of(peak.getAsLong() <= TARGET_RSS_MIB * 1024 * 1024) : Optional.empty(),
                f("bundle peak RSS ≤ %d MiB (-Xmx%s)", TARGET_RSS_MIB, o.bundleXmx()),
                peak.isPresent() ? Optional.of("highest of the bundle runs: " + rss(peak) + " MiB") : Optional.empty()));
        int disorder = runs.stream().mapToInt(RunResult::orderViolations).sum() + sweep.stream().mapToInt(RunResult::orderViolations).sum();
        boolean audited = runs.stream().anyMatch(r -> r.failure() == null);
        md.append(verdict(audited ? Optional.of(disorder == 0) : Optional.empty(),
                "per-key order verified by the sandbox during every run",
                Optional.of(disorder == 0 ? "no key saw its commands' effects out of order" : disorder + " keys out of order")));
        md.append('\n');
        return md.toString();
    }

    private String sweepTable() {
        StringBuilder md = new StringBuilder(f("## Throughput vs in-flight limit (1 partition, %d ms, %,d commands per point)%n%n",
                o.latencyMs(), o.sweepCommands()));
        md.append("![throughput vs in-flight limit](").append(svgName).append(")\n\n");
        md.append("| in flight | limit cmd/s | bundle cmd/s | bundle % of limit | bare-metal loop cmd/s | bare-metal % of limit | bundle ÷ loop | check |\n");
        md.append("|--:|--:|--:|--:|--:|--:|--:|---|\n");
        for (int limit : sweepLimits()) {
            Optional<RunResult> b = sweep.stream().filter(r -> r.spec().kind() == RunSpec.Kind.BUNDLE && r.spec().inFlight() == limit).findFirst();
            Optional<RunResult> m = sweep.stream().filter(r -> r.spec().kind() == RunSpec.Kind.BARE && r.spec().inFlight() == limit).findFirst();
            md.append(f("| %d | %s | %s | %s | %s | %s | %s | %s |%n", limit,
                    o.latencyMs() == 0 ? "∞" : f("%,.0f", limit * 1000.0 / o.latencyMs()),
                    b.map(r -> f("%,.0f", r.throughput())).orElse(""), b.map(Report::percentOfLimit).orElse(""),
                    m.map(r -> f("%,.0f", r.throughput())).orElse(""), m.map(Report::percentOfLimit).orElse(""),
                    both(b, m).map(p -> f("%.2f", p[0].throughput() / p[1].throughput())).orElse(""),
                    "bundle " + b.map(RunResult::check).orElse("-") + "; loop " + m.map(RunResult::check).orElse("-")));
        }
        return md.append('\n').toString();
    }

    /** The SVG of the sweep: bundle, loop and the theoretical limit against the in-flight limit. */
    String svg() {
        int[] x = sweepLimits();
        double[] bundle = new double[x.length], bare = new double[x.length], limit = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            int l = x[i];
            bundle[i] = sweep.stream().filter(r -> r.spec().kind() == RunSpec.Kind.BUNDLE && r.spec().inFlight() == l && r.failure() == null)
                    .mapToDouble(RunResult::throughput).findFirst().orElse(Double.NaN);
            bare[i] = sweep.stream().filter(r -> r.spec().kind() == RunSpec.Kind.BARE && r.spec().inFlight() == l && r.failure() == null)
                    .mapToDouble(RunResult::throughput).findFirst().orElse(Double.NaN);
            limit[i] = o.latencyMs() == 0 ? Double.NaN : l * 1000.0 / o.latencyMs();
        }
        return SvgPlot.render("Drain throughput vs in-flight limit", f("%d ms sandbox latency, 1 partition, %,d commands over %,d keys",
                        o.latencyMs(), o.sweepCommands(), o.keys()), "in-flight limit (log scale)", "commands/s",
                x, List.of(new SvgPlot.Series("limit (in flight ÷ latency)", "#999999", "6,4", limit),
                        new SvgPlot.Series("bare-metal loop", "#1f77b4", "", bare),
                        new SvgPlot.Series("task-routes bundle", "#d62728", "", bundle)));
    }

    private int[] sweepLimits() {
        return sweep.stream().mapToInt(r -> r.spec().inFlight()).distinct().sorted().toArray();
    }

    void write(Path file) throws java.io.IOException {
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        Files.writeString(file, markdown());
    }

    // ---- helpers ----

    private static Optional<RunResult> find(RunSpec.Kind kind, int partitions, int latencyMs, List<RunResult> in) {
        return in.stream().filter(r -> r.spec().kind() == kind && r.spec().partitions() == partitions
                && r.spec().latencyMs() == latencyMs && r.failure() == null).findFirst();
    }

    private static Optional<RunResult> baseline(RunSpec.Kind kind, int latencyMs, List<RunResult> in) {
        return find(kind, 1, latencyMs, in);
    }

    private static Optional<RunResult[]> both(Optional<RunResult> a, Optional<RunResult> b) {
        return a.isPresent() && b.isPresent() && b.get().throughput() > 0 ? Optional.of(new RunResult[] {a.get(), b.get()}) : Optional.empty();
    }

    private static String verdict(Optional<Boolean> pass, String target, Optional<String> measured) {
        return f("- **%s** %s — %s%n", pass.map(p -> p ? "PASS" : "MISS").orElse("n/a"), target, measured.orElse("not measured"));
    }

    private static String partial(RunResult r) {
        return r.complete() ? "" : f(" (partial drain: %,d of %,d in %d s)", r.drained(), r.spec().commands(), Math.round(r.drainMs() / 1000.0));
    }

    private static String ratio(RunResult r, Optional<RunResult> base) {
        return base.filter(b -> b.throughput() > 0).map(b -> {
            double x = r.throughput() / b.throughput();
            return x >= 10 ? f("%.0f×", x) : f("%.2f×", x);
        }).orElse("n/a");
    }

    private static String cpu(double msPerCommand) {
        return Double.isNaN(msPerCommand) ? "–" : f("%.2f", msPerCommand);
    }

    private static String limit(RunSpec s) {
        return Double.isInfinite(s.limit()) ? "∞" : f("%,.0f", s.limit());
    }

    private static String percentOfLimit(RunResult r) {
        double limit = r.spec().limit();
        return Double.isInfinite(limit) ? "—" : f("%.1f %%", 100 * r.throughput() / limit);
    }

    private static String rss(OptionalLong bytes) {
        return bytes.isPresent() ? f("%,d", bytes.getAsLong() / (1024 * 1024)) : "";
    }

    /**
     * What else the machine was doing in the second before the run (share of all cores used by other processes) and
     * its 1-minute load average (Linux), to tell a run on a busy machine from one on an idle machine.
     */
    static String idleCheck() {
        CpuMeter meter = CpuMeter.start(OptionalLong.empty());
        java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofSeconds(1).toNanos()); // a measuring window, not a wait
        double foreign = meter.foreignShare();
        String load;
        try {
            load = Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (java.io.IOException | RuntimeException e) {
            load = "unknown";
        }
        return Double.isNaN(foreign) ? "load average " + load
                : f("other processes used %.0f %% of the CPU in the second before the start (load average %s)%s", 100 * foreign, load,
                        foreign > RunResult.BUSY ? " -- BUSY: figures will be low" : "");
    }

    private static String machine() {
        long memory = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getTotalMemorySize();
        String cpu = "";
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().map(m -> " (" + m + ")").orElse("");
        } catch (java.io.IOException | RuntimeException e) {
            // not Linux: the core count is enough
        }
        return f("%d cores%s, %.1f GiB RAM, %s %s %s; Java %s (%s)", Runtime.getRuntime().availableProcessors(), cpu,
                memory / (1024.0 * 1024 * 1024), System.getProperty("os.name"), System.getProperty("os.version"),
                System.getProperty("os.arch"), System.getProperty("java.runtime.version"), System.getProperty("java.vm.name"));
    }

    private static String f(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
