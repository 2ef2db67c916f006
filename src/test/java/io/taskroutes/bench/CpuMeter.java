package io.taskroutes.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * How much of the machine's CPU went to processes other than the bench JVM and the bundle during a run (Linux
 * /proc). A run on a machine where something else is busy (a test suite, a build) measures that too; the report
 * flags such runs instead of silently printing lower figures.
 */
final class CpuMeter {

    /** Linux reports process and machine CPU time in USER_HZ ticks, 100 per second on every mainstream platform. */
    private static final double MS_PER_TICK = 10;

    private final OptionalLong bundlePid;
    private final long machineBusy0, machineTotal0, ours0, bundle0;

    private CpuMeter(OptionalLong bundlePid) {
        this.bundlePid = bundlePid;
        long[] machine = machine();
        this.machineBusy0 = machine[0];
        this.machineTotal0 = machine[1];
        this.ours0 = ours();
        this.bundle0 = bundleTicks();
    }

    static CpuMeter start(OptionalLong bundlePid) {
        return new CpuMeter(bundlePid);
    }

    /** Share (0..1) of all cores' time used by other processes since {@link #start}; NaN if not measurable. */
    double foreignShare() {
        long[] machine = machine();
        long total = machine[1] - machineTotal0;
        if (machine[1] < 0 || total <= 0) {
            return Double.NaN;
        }
        long foreign = (machine[0] - machineBusy0) - (ours() - ours0);
        return Math.max(0, (double) foreign / total);
    }

    /** CPU time all processes on the machine used since {@link #start}, in ms; NaN if not measurable. */
    double machineCpuMs() {
        long[] machine = machine();
        return machine[0] < 0 ? Double.NaN : (machine[0] - machineBusy0) * MS_PER_TICK;
    }

    /** CPU time the bundle process used since {@link #start}, in ms; NaN without a bundle process. */
    double bundleCpuMs() {
        return bundlePid.isEmpty() ? Double.NaN : (bundleTicks() - bundle0) * MS_PER_TICK;
    }

    /** The bench JVM's and the bundle's CPU time, in clock ticks. */
    private long ours() {
        return processTicks("self") + bundleTicks();
    }

    private long bundleTicks() {
        return bundlePid.isPresent() ? Math.max(0, processTicks(String.valueOf(bundlePid.getAsLong()))) : 0;
    }

    /** {busy, total} clock ticks of all cores since boot, from the "cpu" line of /proc/stat; {-1, -1} elsewhere. */
    private static long[] machine() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long total = 0;
            for (int i = 1; i <= 8 && i < f.length; i++) { // user nice system idle iowait irq softirq steal
                total += Long.parseLong(f[i]);
            }
            long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
            return new long[] {total - idle, total};
        } catch (IOException | RuntimeException e) {
            return new long[] {-1, -1};
        }
    }

    /** utime + stime of a process (fields 14 and 15 of /proc/PID/stat, counted after the parenthesised name). */
    private static long processTicks(String pid) {
        try {
            String stat = Files.readString(Path.of("/proc", pid, "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
