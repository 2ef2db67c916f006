package io.taskroutes.provider.pyrus;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.taskroutes.command.Json;
import io.taskroutes.command.NormalizedTask;
import io.taskroutes.events.ChangeSource;
import io.taskroutes.events.Changes;
import io.taskroutes.events.WebhookAuth;
import io.taskroutes.provider.ProviderConfig;

/**
 * Pyrus changes. Every change of a Pyrus task is a comment on it (text, an action such as finishing it, field
 * updates), so each comment with text is a {@code commented} event (its id is the change) and the task's own
 * fields are compared for {@code created}/{@code updated}/{@code closed}/{@code reopened}.
 * <ul>
 * <li>Webhook: a bot's webhook, {@code X-Pyrus-Sig} = HMAC-SHA1 of the raw body keyed with the bot's security key
 * ({@code tasks.pyrus.security-key}); the body carries the full task, comments included. Its
 * {@code access_token} is never kept.</li>
 * <li>Polling: {@code GET /lists/{tasks.pyrus.events.list-id}/tasks?modified_after=} (inclusive, whole seconds,
 * archived tasks included; a window with more than a page is split), then each modified task read whole for its
 * comments.</li>
 * </ul>
 */
final class PyrusChanges implements ChangeSource {

    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'")
            .withZone(java.time.ZoneOffset.UTC);

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(PyrusChanges.class);

    private final Optional<String> securityKey;
    private final Optional<String> listId;
    /** Tasks per list request: Pyrus's default page (200) unless {@code tasks.pyrus.events.item-count} says otherwise. */
    private final long itemCount;

    PyrusChanges(ProviderConfig config) {
        this.securityKey = config.get("security-key");
        this.listId = config.get("events.list-id");
        this.itemCount = config.setting("events.item-count", 200);
    }

    @Override
    public Optional<Webhook> webhook() {
        return securityKey.map(key -> Webhook.of((body, header) -> WebhookAuth.hmacSha1Hex(body, header.apply("X-Pyrus-Sig"), key),
                (body, header, calls, changes) -> {
                    JsonNode task = WebhookAuth.json(body).path("task");
                    if (!task.isObject() || !task.hasNonNull("id")) {
                        throw new WebhookAuth.Malformed("a pyrus webhook without task.id");
                    }
                    observe(task, changes);
                }, "{}"));
    }

    @Override
    public Optional<String> cannotPoll() {
        return listId.isPresent() ? Optional.empty() : Optional.of("set tasks.pyrus.events.list-id (the list or form to poll)");
    }

    @Override
    public String baseline(Instant now, Calls calls, Changes changes) {
        // what changed since then is recorded (not published), so the first poll does not report it again
        Instant from = now.truncatedTo(ChronoUnit.SECONDS);
        window(from, null, calls, changes, from);
        return from.toString();
    }

    @Override
    public String poll(String cursor, Calls calls, Changes changes) {
        Instant from = Instant.parse(cursor);
        return window(from, null, calls, changes, from).toString();
    }

    /**
     * The tasks of the list modified in [from, to] (both inclusive, to = now when null). Pyrus answers at most
     * {@code item_count} of them with {@code has_more} and no order to continue from, so a window with more is
     * split in two halves until each fits; the snapshots tell what the halves' shared second holds twice.
     *
     * @return the latest modification time seen (the next cursor: the next poll sees that second again)
     */
    private Instant window(Instant from, Instant to, Calls calls, Changes changes, Instant latest) {
        ObjectNode command = Json.object().put("provider", PyrusProvider.ID);
        command.putObject("filter").put("listId", listId.orElseThrow());
        ObjectNode nativeFields = command.putObject("native").put("modified_after", SECONDS.format(from))
                .put("include_archived", "y").put("item_count", itemCount);
        if (to != null) {
            nativeFields.put("modified_before", SECONDS.format(to));
        }
        JsonNode result = calls.call("task.list", command);
        Instant end = to != null ? to : Instant.now().truncatedTo(ChronoUnit.SECONDS);
        if (result.path("raw").path("has_more").asBoolean(false) && Duration.between(from, end).getSeconds() > 1) {
            Instant middle = from.plusSeconds(Duration.between(from, end).getSeconds() / 2);
            latest = window(from, middle, calls, changes, latest);
            return window(middle, to, calls, changes, latest);
        }
        if (result.path("raw").path("has_more").asBoolean(false)) {
            LOG.warn("pyrus: more than {} tasks of list {} modified within one second; the rest are seen when they change again",
                    itemCount, listId.get());
        }
        for (JsonNode listed : result.path("tasks")) {
            String id = listed.path("id").asText();
            JsonNode full;
            try {
                full = calls.call("task.get", Json.object().put("provider", PyrusProvider.ID).put("taskId", id)).path("task").path("raw");
            } catch (io.taskroutes.errors.TaskException e) {
                if (e.reason() == io.taskroutes.errors.ErrorReason.UNAVAILABLE) {
                    throw e; // the whole poll again later, from the same cursor
                }
                // gone or out of the bot's reach since it was listed: the others still count
                LOG.warn("pyrus: task {} of list {} could not be read ({}), skipped", id, listId.get(), e.reason());
                continue;
            }
            observe(full, changes);
            Instant modified = Changes.instant(full.path("last_modified_date").asText(null));
            if (modified != null && modified.isAfter(latest)) {
                latest = modified;
            }
        }
        return latest;
    }

    /** One Pyrus task as it is now: its fields, and its comments not seen before. */
    private static void observe(JsonNode raw, Changes changes) {
        NormalizedTask task = PyrusResponses.normalize(raw);
        ObjectNode withoutComments = raw.deepCopy();
        withoutComments.remove("comments");
        // a task seen for the first time is created (or first known) before anything said on it; a known task's
        // state is its latest, so its change comes after the comments
        boolean known = changes.snapshot(task.id).map(s -> s.has("fields")).orElse(false);
        Instant closed = Changes.instant(raw.path("close_date").asText(null));
        if (!known) {
            changes.task(task, task.updatedAt, Changes.instant(task.updatedAt), withoutComments, null, closed);
        }
        long last = changes.note(task.id, "lastComment").map(JsonNode::asLong).orElse(-1L);
        long newest = last;
        boolean first = true;
        for (JsonNode comment : raw.path("comments")) {
            long id = comment.path("id").asLong();
            // a task's first comment, made with it, is its creation (it holds the task's text), not a comment on it
            boolean creation = first && comment.path("create_date").asText("").equals(raw.path("create_date").asText());
            first = false;
            Instant created = Changes.instant(comment.path("create_date").asText(null));
            boolean unseen = last >= 0 ? id > last : created == null || !created.isBefore(changes.since());
            if (unseen && !creation && comment.hasNonNull("text") && !comment.path("text").asText().isEmpty()) {
                changes.comment(task.id, task, String.valueOf(id), comment.path("text").asText(),
                        NormalizedTask.node(comment, "author"), comment.path("create_date").asText(null), comment);
            }
            newest = Math.max(newest, id);
        }
        if (newest != last) {
            changes.note(task.id, "lastComment", Json.MAPPER.getNodeFactory().numberNode(newest));
        }
        if (known) {
            changes.task(task, task.updatedAt, Changes.instant(task.updatedAt), withoutComments, null, closed);
        }
    }
}
