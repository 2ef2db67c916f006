package io.taskroutes.events;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.taskroutes.command.Json;
import io.taskroutes.errors.ErrorReason;
import io.taskroutes.errors.TaskException;

/**
 * The two ways changes come in — a provider's webhook request and a scheduled poll — as route steps
 * ({@code routes/events.yaml}). Both run one unit of work ({@link Changes}) per provider at a time, so a webhook
 * and a poll that see the same change publish it once.
 */
public final class EventFeeds {

    private static final Logger LOG = LoggerFactory.getLogger(EventFeeds.class);

    /** Exchange property naming the provider of a webhook or poll route. */
    public static final String PROVIDER = "task.events.provider";
    /** Before the first poll: changes up to this long before it may still be reported (clocks differ). */
    static final Duration MARGIN = Duration.ofMinutes(1);
    private static final Duration MAX_BACKOFF = Duration.ofMinutes(10);

    /** What the meters are told; no-op without Micrometer. */
    public interface Meters {
        Meters NONE = new Meters() {
        };

        default void published(String provider, EventType type, String path) {
        }

        default void rejected(String provider, String reason) {
        }

        /** A poll finished: the provider's changes are now known up to {@code at}. */
        default void polled(String provider, Instant at) {
        }
    }

    /**
     * @param pollIntervals provider → its poll interval (the base of the back-off after a failed poll)
     * @param lockWait      how long a webhook waits for a running poll of its provider before it answers 503
     */
    public record Settings(Duration window, long maxBytes, Map<String, Duration> pollIntervals, Duration lockWait) {
    }

    private final EventStore store;
    private final Map<String, ChangeSource> sources;
    private final ChangeSource.Calls calls;
    private final Settings settings;
    private final Meters meters;
    private final Map<String, java.util.concurrent.locks.Lock> locks = new ConcurrentHashMap<>();
    private final Map<String, Backoff> backoffs = new ConcurrentHashMap<>();

    private record Backoff(int failures, Instant until) {
    }

    public EventFeeds(EventStore store, Map<String, ChangeSource> sources, ChangeSource.Calls calls, Settings settings, Meters meters) {
        this.store = store;
        this.sources = sources;
        this.calls = calls;
        this.settings = settings;
        this.meters = meters;
    }

    /** Reads the provider through the command path: {@code direct:<operation>}, a failure thrown as TaskException. */
    public static ChangeSource.Calls calls(ProducerTemplate template) {
        return new ChangeSource.Calls() {
            @Override
            public JsonNode call(String operation, ObjectNode command) {
                return request(operation, Json.write(command), null);
            }

            @Override
            public JsonNode read(String provider, String path) {
                // a task.get whose request is the GET of path (ProviderCall): the path is never the command's
                return request("task.get", Json.write(Json.object().put("provider", provider).put("taskId", "read")), path)
                        .path("raw");
            }

            private JsonNode request(String operation, String command, String read) {
                Exchange done = template.request("direct:" + operation, exchange -> {
                    exchange.getIn().setBody(command);
                    if (read != null) {
                        exchange.setProperty(io.taskroutes.TaskConstants.READ, read);
                    }
                });
                if (done.getException() != null) {
                    throw unwrap(operation, done.getException());
                }
                String result = done.getMessage().getBody(String.class);
                return Json.readLenient(result == null ? null : result.getBytes(StandardCharsets.UTF_8));
            }
        };
    }

    private static TaskException unwrap(String operation, Throwable cause) {
        return cause instanceof TaskException task ? task
                : new TaskException(ErrorReason.UNAVAILABLE, operation + " failed: " + cause, cause);
    }

    /** The scheduler's tick for one provider: a baseline first, then the changes since the stored cursor. */
    public void poll(Exchange exchange) {
        String provider = exchange.getProperty(PROVIDER, String.class);
        Backoff backoff = backoffs.get(provider);
        Instant now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        if (backoff != null && now.isBefore(backoff.until())) {
            return;
        }
        ChangeSource source = sources.get(provider);
        try {
            java.util.concurrent.locks.Lock lock = lock(provider);
            lock.lock();
            try {
                store.prepare();
                ObjectNode stored = store.cursor(provider);
                String cursor = stored == null ? null : stored.path("cursor").asText(null);
                Instant since = since(stored, now.minus(MARGIN));
                Changes changes = changes(provider, cursor == null, since, now);
                // the baseline starts a margin back (clocks differ) and records what changed in it without publishing,
                // so the polls after it neither miss nor replay it
                String next = cursor == null ? source.baseline(now.minus(MARGIN), calls, changes) : source.poll(cursor, calls, changes);
                ObjectNode moved = java.util.Objects.equals(next, cursor) ? null : cursorNode(next, since);
                store.commit(provider, changes.events(), changes.updates(), moved);
                count(changes, "poll");
                if (cursor == null) {
                    LOG.info("task events: {} baseline taken, changes from now on are published", provider);
                }
            } finally {
                lock.unlock();
            }
            backoffs.remove(provider);
            meters.polled(provider, now);
        } catch (RuntimeException e) {
            // the provider (after the command path's retries), the store, or an answer the source could not read
            int failures = backoff == null ? 1 : backoff.failures() + 1;
            Duration base = settings.pollIntervals().getOrDefault(provider, Duration.ofSeconds(30));
            Duration wait = base.multipliedBy(1L << Math.min(failures, 10));
            wait = wait.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : wait;
            backoffs.put(provider, new Backoff(failures, now.plus(wait)));
            LOG.warn("task events: polling {} failed ({} in a row), next try in {} s from the same cursor: {}", provider,
                    failures, wait.toSeconds(), e instanceof TaskException ? e.getMessage() : e.toString());
        }
    }

    /**
     * One webhook request: authenticated the provider's way before the body is read, then its changes are published
     * and only then answered 200 — a failed write answers 503 so the provider sends it again.
     */
    public void webhook(Exchange exchange) {
        String provider = exchange.getProperty(PROVIDER, String.class);
        Message in = exchange.getIn();
        byte[] body = Optional.ofNullable(in.getBody(byte[].class)).orElse(new byte[0]);
        Map<String, Object> headers = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.putAll(in.getHeaders());
        // nothing of the request (credentials, signatures) may go back in the answer's headers
        in.removeHeaders("*");
        in.setBody(null);
        ChangeSource.Webhook hook = sources.get(provider).webhook().orElseThrow();
        java.util.function.Function<String, String> header = name -> {
            Object value = headers.get(name);
            return value == null ? null : value.toString();
        };
        if (body.length > settings.maxBytes()) {
            answer(exchange, provider, 413, "too-large", "{\"error\":\"body over tasks.events.webhook.max-bytes\"}");
            return;
        }
        if (!hook.authentic(body, header)) {
            answer(exchange, provider, 401, "unauthorized", "{\"error\":\"unauthorized\"}");
            return;
        }
        java.util.concurrent.locks.Lock lock = lock(provider);
        try {
            // a poll of the provider may hold it: the provider is answered in time (Worksection waits 5 s), and retries
            if (!lock.tryLock(settings.lockWait().toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                LOG.warn("task events: {} webhook not acknowledged, a poll of {} is still running (the provider will send it again)",
                        provider, provider);
                answer(exchange, provider, 503, "busy", "{\"error\":\"busy, try again\"}");
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            answer(exchange, provider, 503, "busy", "{\"error\":\"busy, try again\"}");
            return;
        }
        try {
            try {
                store.prepare();
                ObjectNode stored = store.cursor(provider);
                Instant now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
                Instant since = since(stored, now.minus(MARGIN));
                Changes changes = changes(provider, false, since, now);
                hook.receive(body, header, calls, changes);
                store.commit(provider, changes.events(), changes.updates(), stored == null ? cursorNode(null, since) : null);
                count(changes, "webhook");
            } finally {
                lock.unlock();
            }
        } catch (io.taskroutes.events.WebhookAuth.Malformed e) {
            LOG.warn("task events: {} webhook refused: {}", provider, e.getMessage());
            answer(exchange, provider, 400, "malformed", Json.write(Json.object().put("error", e.getMessage())));
            return;
        } catch (TaskException | EventStore.EventWriteException e) {
            LOG.warn("task events: {} webhook not acknowledged (the provider will send it again): {}", provider, e.getMessage());
            answer(exchange, provider, 503, "unavailable", "{\"error\":\"events could not be written, try again\"}");
            return;
        } catch (RuntimeException e) {
            // never the exception's text or stack in the answer
            LOG.error("task events: {} webhook failed", provider, e);
            answer(exchange, provider, 500, "failed", "{\"error\":\"internal error\"}");
            return;
        }
        answer(exchange, null, 200, null, hook.answer());
    }

    private void answer(Exchange exchange, String rejectedProvider, int status, String reason, String body) {
        if (rejectedProvider != null) {
            meters.rejected(rejectedProvider, reason);
        }
        Message out = exchange.getMessage();
        out.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        out.setHeader(Exchange.CONTENT_TYPE, "application/json");
        out.setBody(body);
    }

    private Changes changes(String provider, boolean baseline, Instant since, Instant now) {
        return new Changes(provider, taskId -> store.task(provider, taskId), () -> store.taskIds(provider), baseline, since, settings.window(), now);
    }

    private void count(Changes changes, String path) {
        for (TaskEvent event : changes.events()) {
            meters.published(event.provider(), event.type(), path);
        }
    }

    private static Instant since(ObjectNode stored, Instant fallback) {
        Instant since = stored == null ? null : Changes.instant(stored.path("since").asText(null));
        return since == null ? fallback : since;
    }

    private static ObjectNode cursorNode(String cursor, Instant since) {
        ObjectNode node = Json.object();
        node.put("cursor", cursor);
        node.put("since", since.toString());
        return node;
    }

    private java.util.concurrent.locks.Lock lock(String provider) {
        return locks.computeIfAbsent(provider, p -> new java.util.concurrent.locks.ReentrantLock());
    }

    /** The providers with a webhook route; for the routes. */
    public Map<String, ChangeSource> sources() {
        return sources;
    }
}
