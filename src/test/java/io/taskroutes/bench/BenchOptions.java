package io.taskroutes.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The command-line options of {@code bench/run}; {@code --quick} swaps in small defaults, explicit flags still win. */
record BenchOptions(int commands, int keys, int latencyMs, List<Integer> inFlights, List<Integer> partitions, int baselineCommands,
                    int warmup, int drainTimeoutS, String bundleXmx, Path bundleJar, List<Integer> sweep, int sweepCommands,
                    boolean quick, Path out, Map<String, String> bundleEnv, Set<RunSpec.Kind> only, boolean deletes) {

    /** The in-flight limit the single-figure targets are stated for: the first of {@link #inFlights}. */
    int inFlight() {
        return inFlights.get(0);
    }

    static final List<Integer> DEFAULT_SWEEP = List.of(8, 16, 32, 64, 128);
    static final Set<RunSpec.Kind> ALL = Set.copyOf(EnumSet.allOf(RunSpec.Kind.class));

    static BenchOptions defaults(boolean quick) {
        Path jar = Path.of("target", "task-routes.jar");
        return quick
                ? new BenchOptions(2_000, 200, 50, List.of(64), List.of(1), 100, 200, 30, "192m", jar, List.of(), 500, true,
                        Path.of("bench", "results", "quick.md"), Map.of(), ALL, true)
                : new BenchOptions(20_000, 1_000, 50, List.of(64, 128), List.of(1, 3), 600, 1_000, 60, "192m", jar, List.of(), 4_000,
                        false, Path.of("bench", "results", "latest.md"), Map.of(), ALL, true);
    }

    static String help() {
        BenchOptions d = defaults(false);
        BenchOptions q = defaults(true);
        return String.join("\n",
                "usage: bench/run [options]",
                "",
                "Drains Pyrus comment commands from Kafka through the bundle and a hand-written KafkaConsumer +",
                "HttpClient loop (each its own process) and the default camel-kafka route, against the provider",
                "sandbox; then Pixflow deletes through the bundle with the broker as its own process. Prints a",
                "Markdown table and writes it to --out.",
                "",
                "  --commands N            commands per measured run                      (default " + d.commands() + ", quick " + q.commands() + ")",
                "  --keys K                distinct record keys (Pyrus tasks)             (default " + d.keys() + ", quick " + q.keys() + ")",
                "  --latency-ms MS         sandbox latency per provider call              (default " + d.latencyMs() + ")",
                "  --in-flight L1,L2       in-flight limits of the bundle and the loop    (default " + join(d.inFlights()) + ", quick " + join(q.inFlights()) + ")",
                "  --partitions P1,P2      partition counts of the command topic          (default " + join(d.partitions()) + ", quick " + join(q.partitions()) + ")",
                "  --baseline-commands N   sample size of the camel-kafka default route   (default " + d.baselineCommands() + ", quick " + q.baselineCommands() + ")",
                "  --warmup N              commands drained at 0 ms before each measured batch (default " + d.warmup() + ", quick " + q.warmup() + ")",
                "  --drain-timeout-s S     time bound of one measured drain; a slower run is reported as partial",
                "                          (default " + d.drainTimeoutS() + ", quick " + q.drainTimeoutS() + ")",
                "  --bundle-xmx SIZE       -Xmx of the bundle and the loop processes      (default " + d.bundleXmx() + ")",
                "  --bundle-env KEY=VALUE  extra environment variable for the bundle (repeatable)",
                "  --bundle-jar FILE       the bundle's jar                               (default " + d.bundleJar() + ")",
                "  --sweep [L1,L2,...]     also measure throughput vs in-flight limit (bundle and loop, 1 partition)",
                "                          and draw it as SVG; off by default, bare --sweep = " + join(DEFAULT_SWEEP),
                "  --sweep-commands N      commands per sweep point                       (default " + d.sweepCommands() + ", quick " + q.sweepCommands() + ")",
                "  --only KINDS            run only these implementations: bundle,camel,bare (default all; ratios",
                "                          and targets need the baselines)",
                "  --no-deletes            skip the delete drain: --commands Pixflow deletes over --keys keys, 3 partitions,",
                "                          the broker a process of its own (on by default when the bundle runs)",
                "  --quick                 smoke run with the small defaults above (writes " + q.out() + ")",
                "  --out FILE              Markdown output                                (default " + d.out() + ")",
                "  --no-build              (bench/run only) skip the Maven build",
                "  --help                  this text",
                "",
                "Exit code: 0 ran (targets may be missed), 1 a command was lost, failed or applied out of order, 2 bad usage.");
    }

    static BenchOptions parse(String[] args) {
        boolean quick = List.of(args).contains("--quick");
        BenchOptions o = defaults(quick);
        int commands = o.commands, keys = o.keys, latency = o.latencyMs;
        List<Integer> inFlights = o.inFlights, partitions = o.partitions;
        Path jar = o.bundleJar;
        int baseline = o.baselineCommands, warmup = o.warmup, timeout = o.drainTimeoutS, sweepCommands = o.sweepCommands;
        String xmx = o.bundleXmx;
        List<Integer> sweep = o.sweep;
        Path out = o.out;
        Map<String, String> env = new LinkedHashMap<>();
        Set<RunSpec.Kind> only = o.only;
        boolean deletes = o.deletes;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--quick", "--no-build" -> { }
                case "--no-deletes" -> deletes = false;
                case "--commands" -> commands = positive(a, value(args, ++i, a));
                case "--keys" -> keys = positive(a, value(args, ++i, a));
                case "--latency-ms" -> latency = nonNegative(a, value(args, ++i, a));
                case "--in-flight" -> inFlights = positives(a, value(args, ++i, a));
                case "--partitions" -> partitions = positives(a, value(args, ++i, a));
                case "--bundle-jar" -> jar = Path.of(value(args, ++i, a));
                case "--baseline-commands" -> baseline = positive(a, value(args, ++i, a));
                case "--warmup" -> warmup = nonNegative(a, value(args, ++i, a));
                case "--drain-timeout-s" -> timeout = positive(a, value(args, ++i, a));
                case "--sweep-commands" -> sweepCommands = positive(a, value(args, ++i, a));
                case "--bundle-xmx" -> xmx = value(args, ++i, a);
                case "--out" -> out = Path.of(value(args, ++i, a));
                case "--bundle-env" -> {
                    String kv = value(args, ++i, a);
                    int eq = kv.indexOf('=');
                    if (eq <= 0) {
                        throw new IllegalArgumentException("--bundle-env needs KEY=VALUE, got " + kv);
                    }
                    env.put(kv.substring(0, eq), kv.substring(eq + 1));
                }
                case "--only" -> {
                    Set<RunSpec.Kind> kinds = EnumSet.noneOf(RunSpec.Kind.class);
                    for (String k : value(args, ++i, a).split(",")) {
                        kinds.add(java.util.Arrays.stream(RunSpec.Kind.values()).filter(kind -> kind.slug.equals(k.trim()))
                                .findFirst().orElseThrow(() -> new IllegalArgumentException("--only knows bundle, camel, bare; not " + k)));
                    }
                    only = Set.copyOf(kinds);
                }
                case "--sweep" -> {
                    if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                        sweep = new ArrayList<>();
                        for (String s : args[++i].split(",")) {
                            sweep.add(positive(a, s.trim()));
                        }
                    } else {
                        sweep = DEFAULT_SWEEP;
                    }
                }
                default -> throw new IllegalArgumentException("unknown option " + a + " (see --help)");
            }
        }
        return new BenchOptions(commands, keys, latency, inFlights, partitions, baseline, warmup, timeout, xmx, jar,
                List.copyOf(sweep), sweepCommands, quick, out, Map.copyOf(env), only, deletes && only.contains(RunSpec.Kind.BUNDLE));
    }

    /** The issues state their targets for exactly these parameters. */
    boolean targetParameters() {
        return latencyMs == 50 && keys == 1_000 && inFlights.contains(64) && inFlights.contains(128) && partitions.contains(1);
    }

    private static List<Integer> positives(String option, String values) {
        List<Integer> list = new ArrayList<>();
        for (String v : values.split(",")) {
            list.add(positive(option, v.trim()));
        }
        return List.copyOf(list);
    }

    static String join(List<Integer> values) {
        return String.join(",", values.stream().map(String::valueOf).toList());
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    private static int positive(String option, String value) {
        int n = nonNegative(option, value);
        if (n == 0) {
            throw new IllegalArgumentException(option + " must be positive");
        }
        return n;
    }

    private static int nonNegative(String option, String value) {
        try {
            int n = Integer.parseInt(value.replace("_", ""));
            if (n < 0) {
                throw new IllegalArgumentException(option + " must not be negative");
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " needs a number, got " + value);
        }
    }
}
