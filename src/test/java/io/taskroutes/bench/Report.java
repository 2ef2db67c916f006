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
    static final double TARGET_LIMIT_SHARE_128 = 0.75;
    static final double TARGET_VS_CAMEL = 50;
    static final double TARGET_VS_BARE_AT_0MS = 0.8;
    static final double TARGET_CPU_MS = 0.6;
    static final double TARGET_CPU_VS_LOOP = 1.3;
    static final long TARGET_RSS_MIB = 300;

    private final BenchOptions o;
    private final List<RunResult> runs;
    private final List<RunResult> sweep;
    private final DeleteDrain.Result deletes;
    private final Duration took;
    private final String svgName;

    private final String loadAtStart;

    static final double TARGET_DELETES = 1_000;

    Report(BenchOptions options, List<RunResult> runs, List<RunResult> sweep, DeleteDrain.Result deletes, Duration took,
           String svgName, String loadAtStart) {
        this.deletes = deletes;
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
                + " in-flight limits %s (bundle `TASKS_KAFKA_MAX_IN_FLIGHT` and bare-metal loop) on %s partition(s); camel-kafka default route on a sample of"
                + " %,d commands (it handles one record at a time)%n", o.commands(), o.keys(), o.latencyMs(), BenchOptions.join(o.inFlights()),
                BenchOptions.join(o.partitions()), o.baselineCommands()));
        md.append(f("- each run: fresh topics and consumer group, clean sandbox, the contender consuming before anything is produced,"
                + " %,d warm-up commands drained at 0 ms (on other keys), then the measured batch produced at once (acks=all);"
                + " a drain is cut off after %d s and reported as partial%n", o.warmup(), o.drainTimeoutS()));
        md.append("- bundle: `").append(o.bundleJar()).append("` as its own process, prod profile, `-Xmx").append(o.bundleXmx()).append('`')
                .append(o.bundleEnv().isEmpty() ? "" : ", extra env " + o.bundleEnv())
                .append("; bare-metal loop: its own process too, same `-Xmx`; Kafka: one embedded KRaft broker, and the provider sandbox,"
                        + " both in the bench JVM (the camel-kafka route runs there too)\n\n");

        md.append("| implementation | partitions | latency ms | in flight | commands | throughput cmd/s | p50 ms | p99 ms"
                + " | limit cmd/s | % of limit | × camel-kafka default | × bare-metal loop | peak RSS MiB | CPU ms/cmd process / all"
                + " | CPU × loop | check |\n");
        md.append("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|\n");
        for (RunResult r : runs) {
            md.append(row(r, baseline(RunSpec.Kind.CAMEL, r.spec().latencyMs(), runs), loopOf(r.spec(), runs))).append('\n');
        }
        md.append("\nlimit = in flight ÷ latency, the most any implementation can drain (the camel-kafka default route has one"
                + " record in flight). Ratios compare"
                + " throughput with the camel-kafka route at the same latency (1 partition) and with the loop run right after the"
                + " bundle on the same partitions, latency and limit. Latency is end to end: result record"
                + " timestamp − command record timestamp; in a drain of a batch produced at once it is mostly queueing"
                + " (p50 ≈ half the drain time). Peak RSS: VmHWM of the process. CPU ms/cmd: CPU time"
                + " during the drain per command drained, of the contender's own process (bundle or loop; the camel-kafka route"
                + " runs inside the bench JVM, so only the whole is shown for it) and of the whole machine (contender, broker,"
                + " sandbox, bench). CPU × loop: the bundle process's CPU per command ÷ the loop process's. check: every command one result and"
                + " one effect in the sandbox, each key's effects in produce order.\n\n");

        md.append(targets());
        if (deletes != null) {
            md.append(deletesSection());
        }
        if (!sweep.isEmpty()) {
            md.append(sweepTable());
        }
        return md.toString();
    }

    private String row(RunResult r, Optional<RunResult> camel, Optional<RunResult> bare) {
        RunSpec s = r.spec();
        if (r.failure() != null) {
            return f("| %s | %d | %d | %d | %,d | | | | %s | | | | | | | %s |", s.kind().label, s.partitions(), s.latencyMs(), s.inFlight(),
                    s.commands(), limit(s), r.check());
        }
        return f("| %s | %d | %d | %d | %,d | %,.0f | %,d | %,d | %s | %s | %s | %s | %s | %s | %s | %s |", s.kind().label, s.partitions(),
                s.latencyMs(), s.inFlight(), s.commands(), r.throughput(), r.p50Ms(), r.p99Ms(), limit(s), percentOfLimit(r),
                ratio(r, camel), ratio(r, bare), rss(r.peakRssBytes()),
                cpu(r.bundleCpuMsPerCommand()) + " / " + cpu(r.machineCpuMsPerCommand()), cpuRatio(r, bare), r.check());
    }

    private String targets() {
        StringBuilder md = new StringBuilder("## Targets\n\n");
        if (!o.targetParameters()) {
            md.append(f("The issue states its targets for 50 ms, 1,000 keys, 64 in flight; this run used %d ms, %,d keys, %d in flight,"
                    + " so the verdicts below are indicative only.%n%n", o.latencyMs(), o.keys(), o.inFlight()));
        }
        int l = o.latencyMs();
        Optional<RunResult> bundle = find(RunSpec.Kind.BUNDLE, 1, l, 64, runs);
        Optional<RunResult> bundle128 = find(RunSpec.Kind.BUNDLE, 1, l, 128, runs);
        Optional<RunResult> camel = baseline(RunSpec.Kind.CAMEL, l, runs);
        Optional<RunResult> bundle0 = find(RunSpec.Kind.BUNDLE, 1, 0, 64, runs);
        Optional<RunResult> bare0 = find(RunSpec.Kind.BARE, 1, 0, 64, runs);
        Optional<RunResult> bare = find(RunSpec.Kind.BARE, 1, l, 64, runs);

        md.append(verdict(bundle.filter(b -> l > 0 && !Double.isNaN(b.bundleCpuMsPerCommand())).map(b -> b.bundleCpuMsPerCommand() <= TARGET_CPU_MS),
                f("bundle CPU per command, 1 partition, %d ms, 64 in flight: ≤ %.1f ms", l, TARGET_CPU_MS),
                bundle.map(b -> f("%s ms", cpu(b.bundleCpuMsPerCommand())))));
        md.append(verdict(both(bundle, bare).filter(p -> !Double.isNaN(p[1].bundleCpuMsPerCommand()))
                        .map(p -> p[0].bundleCpuMsPerCommand() <= TARGET_CPU_VS_LOOP * p[1].bundleCpuMsPerCommand()),
                f("bundle CPU per command ≤ %.1f× the loop's (1 partition, %d ms, 64 in flight)", TARGET_CPU_VS_LOOP, l),
                both(bundle, bare).map(p -> f("%s vs %s ms = %s", cpu(p[0].bundleCpuMsPerCommand()), cpu(p[1].bundleCpuMsPerCommand()),
                        cpuRatio(p[0], Optional.of(p[1]))))));
        md.append(verdict(bundle.filter(b -> l > 0).map(b -> b.throughput() >= TARGET_LIMIT_SHARE * b.spec().limit()),
                f("bundle, 1 partition, %d ms: ≥ %.0f %% of the limit 64 ÷ %d ms (≥ %,.0f cmd/s)", l,
                        TARGET_LIMIT_SHARE * 100, l, l == 0 ? 0 : TARGET_LIMIT_SHARE * 64_000.0 / l),
                bundle.map(b -> f("%,.0f cmd/s = %s of the limit", b.throughput(), percentOfLimit(b)) + partial(b))));
        md.append(verdict(bundle128.filter(b -> l > 0).map(b -> b.throughput() >= TARGET_LIMIT_SHARE_128 * b.spec().limit()),
                f("bundle, 1 partition, %d ms: ≥ %.0f %% of the limit 128 ÷ %d ms (≥ %,.0f cmd/s)", l,
                        TARGET_LIMIT_SHARE_128 * 100, l, l == 0 ? 0 : TARGET_LIMIT_SHARE_128 * 128_000.0 / l),
                bundle128.map(b -> f("%,.0f cmd/s = %s of the limit", b.throughput(), percentOfLimit(b)) + partial(b))));
        md.append(verdict(both(bundle, camel).map(p -> p[0].throughput() >= TARGET_VS_CAMEL * p[1].throughput()),
                f("bundle, 1 partition, %d ms: ≥ %.0f× the camel-kafka default route", l, TARGET_VS_CAMEL),
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

    private String deletesSection() {
        DeleteDrain.Result d = deletes;
        StringBuilder md = new StringBuilder("## Draining deletes, the broker a process of its own\n\n");
        md.append(f("%,d Pixflow deletes of distinct tasks over %,d keys from a %d-partition topic, %d ms per call, %d in flight;"
                + " the broker (the sandbox's KRaft broker, `-Xmx512m`) a process of its own, the caller (producer, provider sandbox)"
                + " the bench JVM, all on the same cores as the bundle. Audited: one ok result and one delete call per command,"
                + " each key's deletes in produce order, every task gone.%n%n", d.commands(), d.keys(), d.partitions(), d.latencyMs(),
                d.inFlight()));
        md.append("| throughput cmd/s | % of limit | bundle peak RSS MiB | CPU ms/cmd bundle / broker / all | check |\n|--:|--:|--:|--:|---|\n");
        double limit = d.latencyMs() == 0 ? Double.POSITIVE_INFINITY : d.inFlight() * 1000.0 / d.latencyMs();
        md.append(f("| %,.0f | %s | %s | %s / %s / %s | %s |%n%n", d.throughput(),
                Double.isInfinite(limit) ? "—" : f("%.1f %%", 100 * d.throughput() / limit), rss(d.rss()),
                cpu(d.bundleCpuMsPerCommand()), cpu(d.brokerCpuMsPerCommand()), cpu(d.machineCpuMsPerCommand()), d.check()));
        md.append(verdict(d.failure() == null ? Optional.of(d.throughput() >= TARGET_DELETES) : Optional.empty(),
                f("≥ %,.0f commands/s draining %,d deletes over %,d keys from %d partitions at %d ms, broker and caller on the same cores",
                        TARGET_DELETES, d.commands(), d.keys(), d.partitions(), d.latencyMs()),
                Optional.of(f("%,.0f cmd/s", d.throughput()))));
        return md.append('\n').toString();
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

    private static Optional<RunResult> find(RunSpec.Kind kind, int partitions, int latencyMs, int inFlight, List<RunResult> in) {
        return in.stream().filter(r -> r.spec().kind() == kind && r.spec().partitions() == partitions
                && r.spec().latencyMs() == latencyMs && r.spec().inFlight() == inFlight && r.failure() == null).findFirst();
    }

    private static Optional<RunResult> baseline(RunSpec.Kind kind, int latencyMs, List<RunResult> in) {
        return find(kind, 1, latencyMs, in);
    }

    /** The loop's run on the same partitions, latency and in-flight limit. */
    private static Optional<RunResult> loopOf(RunSpec s, List<RunResult> in) {
        return find(RunSpec.Kind.BARE, s.partitions(), s.latencyMs(), s.inFlight(), in);
    }

    private static String cpuRatio(RunResult r, Optional<RunResult> loop) {
        return loop.filter(b -> r.spec().kind() == RunSpec.Kind.BUNDLE && b.bundleCpuMsPerCommand() > 0 && !Double.isNaN(r.bundleCpuMsPerCommand()))
                .map(b -> f("%.2f×", r.bundleCpuMsPerCommand() / b.bundleCpuMsPerCommand())).orElse("");
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
