package io.taskroutes.sandbox;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Fault injection for one provider. Thread-safe. Faults are applied before the simulator sees a request
 * (the request is still recorded). Latency applies to every request, faulted or not. One-shot faults
 * ({@code failNext}, {@code rateLimitNext}, {@code dropNext}) are consumed in the order they were added;
 * {@code failAlways} applies once they are used up, until {@link #clear()}.
 */
public final class Faults {

    enum Kind { FAIL, RATE_LIMIT, DROP, PASS }

    /** What to do with one request; {@code value} is the status (FAIL) or Retry-After seconds (RATE_LIMIT). */
    record Action(Kind kind, int value) {
    }

    private static final class Pending {
        final Action action;
        int remaining;

        Pending(Action action, int remaining) {
            this.action = action;
            this.remaining = remaining;
        }
    }

    private final Deque<Pending> pending = new ArrayDeque<>();
    private Duration latency = Duration.ZERO;
    private String holdMarker;
    private java.util.concurrent.CountDownLatch held;
    private int alwaysStatus;

    Faults() {
    }

    /** Delays every answer (including faulted ones) by {@code perRequest}. */
    private int randomPercent;
    private int randomStatus;
    private java.util.Random random;

    public synchronized Faults latency(Duration perRequest) {
        if (perRequest == null || perRequest.isNegative()) {
            throw new IllegalArgumentException("latency must be zero or positive: " + perRequest);
        }
        this.latency = perRequest;
        return this;
    }

    /** The next {@code times} requests answer {@code status} with a small JSON error body. */
    public Faults failNext(int times, int status) {
        return add(new Action(Kind.FAIL, checkStatus(status)), times);
    }

    /** The next {@code times} requests answer 429 with {@code Retry-After: retryAfterSeconds}. */
    public Faults rateLimitNext(int times, int retryAfterSeconds) {
        if (retryAfterSeconds < 0) {
            throw new IllegalArgumentException("retryAfterSeconds must be >= 0: " + retryAfterSeconds);
        }
        return add(new Action(Kind.RATE_LIMIT, retryAfterSeconds), times);
    }

    /**
     * The next {@code times} requests get their connection closed without any HTTP response. Note that HTTP
     * clients may silently retry an idempotent request once on such a drop (the JDK HttpClient does for GET;
     * Apache HttpClient 5's default retry strategy does for GET/DELETE): use a POST or drop more than once
     * to make the failure reach the caller.
     */
    public Faults dropNext(int times) {
        return add(new Action(Kind.DROP, 0), times);
    }

    /**
     * Each request (without a pending one-shot fault) answers {@code status} with probability {@code percent}/100,
     * decided by a random generator seeded with {@code seed}, until {@link #clear()}: transient failures for
     * soak and crash tests.
     */
    public synchronized Faults failRandomly(int percent, int status, long seed) {
        if (percent < 0 || percent > 100) {
            throw new IllegalArgumentException("percent must be 0..100: " + percent);
        }
        this.randomPercent = percent;
        this.randomStatus = checkStatus(status);
        this.random = new java.util.Random(seed);
        return this;
    }

    /** The next {@code times} requests reach the simulator untouched: places the one-shot faults queued after it. */
    public Faults passNext(int times) {
        return add(new Action(Kind.PASS, 0), times);
    }

    /** Every request answers {@code status} (after any pending one-shot faults) until {@link #clear()}. */
    public synchronized Faults failAlways(int status) {
        this.alwaysStatus = checkStatus(status);
        return this;
    }

    /**
     * Requests whose body contains {@code marker} wait (after latency) until {@link #releaseHeld()}: a call that
     * stays unfinished for as long as a test needs. An empty marker holds every request.
     */
    public synchronized Faults hold(String marker) {
        this.holdMarker = marker;
        this.held = new java.util.concurrent.CountDownLatch(1);
        return this;
    }

    /** Lets every held request (and any later one) through. */
    public synchronized void releaseHeld() {
        holdMarker = null;
        if (held != null) {
            held.countDown();
        }
    }

    /** Called by the sandbox for each request: returns once the request is not (or no longer) held. */
    void awaitRelease(RecordedRequest request) throws InterruptedException {
        java.util.concurrent.CountDownLatch gate;
        synchronized (this) {
            if (holdMarker == null || !request.bodyString().contains(holdMarker)) {
                return;
            }
            gate = held;
        }
        gate.await();
    }

    /** Removes every fault, latency included, and releases held requests. */
    public synchronized void clear() {
        releaseHeld();
        pending.clear();
        latency = Duration.ZERO;
        alwaysStatus = 0;
        randomPercent = 0;
    }

    synchronized Duration latency() {
        return latency;
    }

    /** Takes the fault for the next request, or null when it should reach the simulator. */
    synchronized Action next() {
        Pending head = pending.peekFirst();
        if (head != null) {
            if (--head.remaining <= 0) {
                pending.removeFirst();
            }
            return head.action;
        }
        if (randomPercent > 0 && random.nextInt(100) < randomPercent) {
            return new Action(Kind.FAIL, randomStatus);
        }
        return alwaysStatus == 0 ? null : new Action(Kind.FAIL, alwaysStatus);
    }

    private synchronized Faults add(Action action, int times) {
        if (times < 0) {
            throw new IllegalArgumentException("times must be >= 0: " + times);
        }
        if (times > 0) {
            pending.addLast(new Pending(action, times));
        }
        return this;
    }

    private static int checkStatus(int status) {
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("not an HTTP status: " + status);
        }
        return status;
    }
}
