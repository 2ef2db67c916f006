package io.taskroutes.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * What one run measured and what the audit found. {@code drained} below {@code spec.commands()} means the drain hit
 * its time bound: the figures then cover the commands drained until then.
 */
record RunResult(RunSpec spec, int drained, double throughput, long p50Ms, long p99Ms, OptionalLong peakRssBytes,
                 int lost, int errors, int orderViolations, int appliedTwice, int extraResults, long deadLetters,
                 long drainMs, double foreignCpu, double bundleCpuMsPerCommand, double machineCpuMsPerCommand, String failure) {

    /** Above this share of the machine's CPU used by other processes during the drain, the check column says so. */
    static final double BUSY = 0.10;

    static RunResult failed(RunSpec spec, String failure) {
        return new RunResult(spec, 0, 0, 0, 0, OptionalLong.empty(), 0, 0, 0, 0, 0, 0, 0, Double.NaN, Double.NaN, Double.NaN, failure);
    }

    boolean complete() {
        return failure == null && drained == spec.commands();
    }

    /** A command lost, failed or applied out of order, or the run did not work at all: the bench exits 1. */
    boolean broken() {
        return failure != null || lost > 0 || errors > 0 || orderViolations > 0;
    }

    /** The table's check column: "ok", or every finding. */
    String check() {
        if (failure != null) {
            return "FAILED: " + failure;
        }
        List<String> findings = new ArrayList<>();
        if (lost > 0) {
            findings.add("LOST " + lost);
        }
        if (errors > 0) {
            findings.add("ERROR results " + errors);
        }
        if (orderViolations > 0) {
            findings.add("ORDER violated on " + orderViolations + " keys");
        }
        if (appliedTwice > 0) {
            findings.add("applied twice " + appliedTwice);
        }
        if (extraResults > 0) {
            findings.add("extra results " + extraResults);
        }
        if (deadLetters > 0) {
            findings.add("dead letters " + deadLetters);
        }
        if (!complete()) {
            findings.add(String.format(java.util.Locale.ROOT, "partial: %,d of %,d drained in %d s", drained,
                    spec.commands(), Math.round(drainMs / 1000.0)));
        }
        if (foreignCpu > BUSY) {
            findings.add(String.format(java.util.Locale.ROOT, "machine busy: other processes used %.0f %% of the CPU", 100 * foreignCpu));
        }
        return findings.isEmpty() ? "ok" : String.join("; ", findings);
    }
}
