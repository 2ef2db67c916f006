package io.taskroutes.sandbox;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;

/**
 * The sandbox's outgoing change notifications: simulators hand a webhook over at the moment they change a task
 * (under their own lock, so the order of hand-overs is the order of changes); it is POSTed to
 * {@code <base URL>/<provider id>} by one background thread per sandbox, in that order, once the API call that made
 * the change has been answered. Every attempt is recorded as a {@link WebhookDelivery}. Off until
 * {@link ProviderSandbox#webhooks(String)} gives a base URL.
 */
public final class WebhookSender {

    /** Whether an answer counts as delivered for a provider: null when it does, else what was wrong. */
    @FunctionalInterface
    public interface Acceptance {
        Acceptance ANY_2XX = (status, body) -> status >= 200 && status < 300 ? null : "HTTP " + status;

        String problem(int status, String body);
    }

    /**
     * How a provider delivers.
     *
     * @param retries            attempts after the first when it fails (an answer not accepted, or no answer)
     * @param retryHeader        header numbering the retries as {@code <n>/<retries + 1>}, or null
     * @param timeout            how long an attempt waits for the answer
     * @param disableAfterErrors failed attempts after which the provider stops calling the webhook (0 = never);
     *                           counted per provider until {@link ProviderSandbox#reset()} or a new base URL
     * @param acceptance         which answers count as delivered
     */
    public record Policy(int retries, String retryHeader, Duration timeout, int disableAfterErrors,
                         Acceptance acceptance) {
    }

    static final Duration DEFAULT_RETRY_DELAY = Duration.ofMillis(200);

    /** One webhook waiting to be sent; ready once the API call that made it has been answered. */
    private static final class Outgoing {
        final String provider;
        final String url;
        final byte[] body;
        final Map<String, String> headers;
        final Policy policy;
        final int generation;
        boolean ready; // guarded by the queue

        Outgoing(String provider, String url, byte[] body, Map<String, String> headers, Policy policy, int generation) {
            this.provider = provider;
            this.url = url;
            this.body = body;
            this.headers = headers;
            this.policy = policy;
            this.generation = generation;
        }
    }

    private final ExecutorService thread;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ThreadLocal<List<Outgoing>> heldByRequest = new ThreadLocal<>();
    private final Deque<Outgoing> queue = new ArrayDeque<>(); // guarded by itself
    private final List<WebhookDelivery> deliveries = new ArrayList<>(); // guarded by itself, with errors
    private final Map<String, Integer> errors = new HashMap<>();
    private volatile String baseUrl;
    private volatile Duration retryDelay = DEFAULT_RETRY_DELAY;
    private volatile int generation;
    private volatile boolean closed;

    WebhookSender(String threadName) {
        this.thread = Executors.newSingleThreadExecutor(runnable -> {
            Thread t = new Thread(runnable, threadName);
            t.setDaemon(true);
            return t;
        });
    }

    /** Whether webhooks are on (a simulator may skip building a body when they are not). */
    public boolean enabled() {
        return baseUrl != null && !closed;
    }

    /**
     * Hands over one webhook of {@code provider}; call it where the change is made, under the simulator's lock.
     * Sent after the current API call has been answered (at once when there is none, e.g. a test control).
     * Nothing happens while webhooks are off.
     */
    public void send(String provider, byte[] body, Map<String, String> headers, Policy policy) {
        String base = baseUrl;
        if (base == null || closed) {
            return;
        }
        Outgoing out = new Outgoing(provider, base + "/" + provider, body.clone(), Map.copyOf(headers), policy,
                generation);
        synchronized (queue) {
            queue.addLast(out);
        }
        List<Outgoing> held = heldByRequest.get();
        if (held != null) {
            held.add(out);
        } else {
            release(out);
        }
    }

    // ---- the sandbox's controls -------------------------------------------------------------------------

    void baseUrl(String url) {
        String base = url == null || url.isBlank() ? null : url.trim();
        while (base != null && base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        synchronized (deliveries) {
            errors.clear();
        }
        this.baseUrl = base;
    }

    void retryDelay(Duration delay) {
        if (delay == null || delay.isNegative()) {
            throw new IllegalArgumentException("retry delay must be zero or positive: " + delay);
        }
        this.retryDelay = delay;
    }

    List<WebhookDelivery> deliveries() {
        synchronized (deliveries) {
            return List.copyOf(deliveries);
        }
    }

    /** Forgets deliveries and error counts; webhooks not sent yet are dropped. The base URL stays. */
    void reset() {
        synchronized (queue) {
            generation++;
            queue.clear();
        }
        synchronized (deliveries) {
            deliveries.clear();
            errors.clear();
        }
    }

    void close() {
        closed = true;
        thread.shutdownNow();
    }

    /** Called by the sandbox before it hands a request to a simulator. */
    void beginRequest() {
        heldByRequest.set(new ArrayList<>());
    }

    /** Called by the sandbox once the request has been answered: what it changed may now be sent. */
    void endRequest() {
        List<Outgoing> held = heldByRequest.get();
        heldByRequest.remove();
        if (held != null) {
            held.forEach(this::release);
        }
    }

    // ---- the background thread --------------------------------------------------------------------------

    private void release(Outgoing out) {
        synchronized (queue) {
            out.ready = true;
        }
        try {
            thread.execute(this::drain);
        } catch (RejectedExecutionException e) {
            // closed: nothing is sent any more
        }
    }

    /** Sends the webhooks at the head of the queue that are ready; a later one waits for an earlier one. */
    private void drain() {
        while (!Thread.currentThread().isInterrupted()) {
            Outgoing next;
            synchronized (queue) {
                next = queue.peekFirst();
                if (next == null || !next.ready) {
                    return;
                }
                queue.removeFirst();
            }
            deliver(next);
        }
    }

    private void deliver(Outgoing out) {
        Policy policy = out.policy;
        for (int retry = 0; retry <= policy.retries(); retry++) {
            if (out.generation != generation || closed) {
                return;
            }
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("Content-Type", "application/json; charset=utf-8");
            headers.putAll(out.headers);
            if (retry > 0 && policy.retryHeader() != null) {
                headers.put(policy.retryHeader(), retry + "/" + (policy.retries() + 1));
            }
            String body = new String(out.body, StandardCharsets.UTF_8);
            if (disabled(out)) {
                record(out, new WebhookDelivery(out.provider, out.url, body, headers, retry, 0, "",
                        "not sent: the provider disabled this webhook after " + policy.disableAfterErrors() + " errors",
                        Instant.now()), false);
                return;
            }
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(out.url)).timeout(policy.timeout())
                    .POST(HttpRequest.BodyPublishers.ofByteArray(out.body));
            headers.forEach(request::header);
            Instant sentAt = Instant.now();
            int status = 0;
            String answer = "";
            String failure;
            try {
                HttpResponse<String> response = http.send(request.build(),
                        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                status = response.statusCode();
                answer = response.body() == null ? "" : response.body();
                failure = policy.acceptance().problem(status, answer);
            } catch (IOException e) {
                failure = e.toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // closing
                return;
            }
            record(out, new WebhookDelivery(out.provider, out.url, body, headers, retry, status, answer, failure,
                    sentAt), true);
            if (failure == null) {
                return;
            }
            if (retry < policy.retries()) {
                try {
                    // Pyrus waits 61 s, then 122 s: the sandbox keeps the proportion with a short delay
                    Thread.sleep(retryDelay.multipliedBy(retry + 1L).toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private boolean disabled(Outgoing out) {
        int limit = out.policy.disableAfterErrors();
        synchronized (deliveries) {
            return limit > 0 && errors.getOrDefault(out.provider, 0) >= limit;
        }
    }

    /** Records an attempt; a failed one counts as one of the provider's errors. */
    private void record(Outgoing out, WebhookDelivery delivery, boolean attempted) {
        synchronized (deliveries) {
            if (out.generation != generation) {
                return; // sent before a reset
            }
            deliveries.add(delivery);
            if (attempted && !delivery.succeeded()) {
                errors.merge(out.provider, 1, Integer::sum);
            }
        }
    }
}
