package io.taskroutes.dispatch;

import java.util.concurrent.Semaphore;

import org.apache.camel.Exchange;

import io.taskroutes.TaskConstants;

/**
 * {@code tasks.kafka.max-in-flight} counts provider calls: a Kafka command holds a permit only while its request
 * is on the wire, not while it waits for a retry or writes its done id and result. The lanes may therefore run
 * more commands than this (twice as many), so the next calls start while earlier ones are still being answered
 * on Kafka. direct: callers bring their own concurrency and take no permit.
 */
public final class CallPermits {

    private static final String HELD = "taskCallPermit";

    private final Semaphore permits;

    public CallPermits(int maxInFlight) {
        this.permits = new Semaphore(maxInFlight);
    }

    /** Route step right before a provider request (inside the doTry whose doFinally releases). */
    public void acquire(Exchange exchange) throws InterruptedException {
        if (exchange.getProperty(TaskConstants.KAFKA_ORIGIN) != null) {
            permits.acquire();
            exchange.setProperty(HELD, true);
        }
    }

    /** Route step in the doFinally after the request: gives back a permit this exchange holds, once. */
    public void release(Exchange exchange) {
        if (exchange.removeProperty(HELD) != null) {
            permits.release();
        }
    }

    /** Provider calls of Kafka commands on the wire now. */
    public int inUse(int maxInFlight) {
        return maxInFlight - permits.availablePermits();
    }
}
