package io.taskroutes.bench;

import java.util.OptionalLong;

/** One implementation under measurement, consuming a run's command topic from the moment it is created. */
interface Contender extends AutoCloseable {

    /** Starts a contender on the run's topics with the given in-flight limit. */
    @FunctionalInterface
    interface Factory {
        Contender start(Workbench bench, Workbench.Topics topics, int inFlight);
    }

    String name();

    boolean isAlive();

    /** The process id, when the contender is a process of its own. */
    default OptionalLong pid() {
        return OptionalLong.empty();
    }

    /** Peak resident set size in bytes, when the contender is a process of its own. */
    default OptionalLong peakRssBytes() {
        return OptionalLong.empty();
    }

    /** What to show when it failed (e.g. the tail of its log). */
    default String diagnostics() {
        return "";
    }

    /** Stops consuming; in-flight work is finished or abandoned as the implementation does on shutdown. */
    @Override
    void close();
}
