package io.taskroutes.bench;

/** One measured run: which implementation, on how many partitions, at which latency and in-flight limit. */
record RunSpec(Kind kind, Contender.Factory factory, int partitions, int latencyMs, int inFlight, int commands, int warmup) {

    enum Kind {
        BUNDLE("bundle", "task-routes bundle"),
        CAMEL("camel", "camel-kafka default route"),
        BARE("bare", "bare-metal loop");

        final String slug;
        final String label;

        Kind(String slug, String label) {
            this.slug = slug;
            this.label = label;
        }
    }

    /** in-flight ÷ latency in commands/s; infinite at 0 ms. */
    double limit() {
        return latencyMs == 0 ? Double.POSITIVE_INFINITY : inFlight * 1000.0 / latencyMs;
    }

    String describe() {
        return kind.label + ", " + partitions + " partition" + (partitions == 1 ? "" : "s") + ", " + latencyMs + " ms, "
                + inFlight + " in flight, " + commands + " commands";
    }
}
