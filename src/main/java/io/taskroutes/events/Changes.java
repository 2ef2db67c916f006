package io.taskroutes.events;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.taskroutes.command.Json;
import io.taskroutes.command.NormalizedTask;

/**
 * One unit of work of a provider's events (a webhook request or a poll): what the source reports is compared
 * with each task's snapshot — what was seen of it last — and becomes events only where something changed. The
 * events and the new snapshots are written together ({@link EventStore#commit}), so a change is published once
 * even when a webhook and a poll both see it, or a poll is repeated after a restart.
 * <p>
 * A snapshot holds the tracked fields of the task, the last version seen (its modification time, or what the
 * provider has instead), source notes (e.g. the last comment id) and the ids of the events published for the
 * task within the de-duplication window.
 */
public final class Changes {

    /** The fields whose change makes an {@code updated} (or closed/reopened) event; others only move the version. */
    static final List<String> TRACKED = List.of("title", "text", "status", "assignee", "dueDate", "parentId");
    private static final int MAX_SEEN = 200;

    private final String provider;
    private final Function<String, ObjectNode> stored;
    private final java.util.function.Supplier<java.util.Set<String>> known;
    private final boolean baseline;
    private final Instant since;
    private final Duration window;
    private final Instant now;
    private final Map<String, ObjectNode> updates = new LinkedHashMap<>();
    private final List<TaskEvent> events = new ArrayList<>();
    /** Set while {@link #created} reports a task the source knows to be new. */
    private boolean knownNew;

    /**
     * @param stored   the stored snapshot of a task id, or null
     * @param baseline true for a provider's first poll: snapshots are taken, nothing is published
     * @param since    when the provider's events began (its baseline): a task first seen and created after it is new
     */
    public Changes(String provider, Function<String, ObjectNode> stored, java.util.function.Supplier<java.util.Set<String>> known,
                   boolean baseline, Instant since, Duration window, Instant now) {
        this.provider = provider;
        this.stored = stored;
        this.known = known;
        this.baseline = baseline;
        this.since = since;
        this.window = window;
        this.now = now;
    }

    public String provider() {
        return provider;
    }

    public boolean baseline() {
        return baseline;
    }

    public Instant since() {
        return since;
    }

    /** The snapshot of a task as this unit of work sees it (its own updates included), or empty. */
    public Optional<ObjectNode> snapshot(String taskId) {
        if (updates.containsKey(taskId)) {
            return Optional.ofNullable(updates.get(taskId));
        }
        return Optional.ofNullable(stored.apply(taskId));
    }

    /** The ids of the tasks with a snapshot (for a source that sees every task each poll and so can tell one is gone). */
    public java.util.Set<String> knownTasks() {
        java.util.Set<String> ids = new java.util.TreeSet<>(known.get());
        updates.forEach((id, snapshot) -> {
            if (snapshot == null) {
                ids.remove(id);
            } else {
                ids.add(id);
            }
        });
        return ids;
    }

    /** The task as last seen, from its snapshot's tracked fields (for a deleted task's event). */
    public NormalizedTask lastKnown(String taskId) {
        NormalizedTask task = new NormalizedTask();
        task.id = taskId;
        snapshot(taskId).map(s -> s.path("fields")).filter(JsonNode::isObject).ifPresent(f -> {
            task.title = NormalizedTask.text(f, "title");
            task.text = NormalizedTask.text(f, "text");
            task.status = NormalizedTask.text(f, "status");
            task.assignee = NormalizedTask.node(f, "assignee");
            task.dueDate = NormalizedTask.text(f, "dueDate");
            task.parentId = NormalizedTask.text(f, "parentId");
        });
        return task;
    }

    /** A source's own note on a task (e.g. the last comment id seen), kept in its snapshot. */
    public Optional<JsonNode> note(String taskId, String name) {
        return snapshot(taskId).map(s -> s.path("notes").get(name)).filter(n -> !n.isNull());
    }

    public void note(String taskId, String name, JsonNode value) {
        ((ObjectNode) editable(taskId).with("notes")).set(name, value);
    }

    /**
     * The task as the provider shows it now: compared with its snapshot, a change of a tracked field is an event —
     * {@code closed} or {@code reopened} when the status crossed closed, {@code updated} otherwise — and a task
     * never seen is {@code created} when it was created after the events began ({@code updated} otherwise, the
     * earlier state unknown).
     *
     * @param version what changes with every change of the task (its modification time); part of the event id
     * @param time    when the change happened; now when the provider does not say
     */
    public void task(NormalizedTask task, String version, Instant time, JsonNode raw) {
        task(task, version, time, raw, null);
    }

    /** As {@link #task(NormalizedTask, String, Instant, JsonNode)}, with provider fields tracked too (Pixflow's status code). */
    public void task(NormalizedTask task, String version, Instant time, JsonNode raw, ObjectNode providerFields) {
        task(task, version, time, raw, providerFields, null);
    }

    /**
     * As {@link #task(NormalizedTask, String, Instant, JsonNode, ObjectNode)}, where the provider says when the task
     * was closed: a task seen for the first time that was closed after the events began is {@code closed}.
     */
    public void task(NormalizedTask task, String version, Instant time, JsonNode raw, ObjectNode providerFields, Instant closedAt) {
        String taskId = task.id;
        // a copy: this unit of work may have edited the snapshot already (a comment), and edits it again below
        ObjectNode before = snapshot(taskId).map(ObjectNode::deepCopy).orElse(null);
        ObjectNode fields = fields(task);
        if (providerFields != null) {
            fields.setAll(providerFields);
        }
        Instant seenVersion = before == null ? null : instant(before.path("version").asText(null));
        Instant thisVersion = instant(version);
        if (seenVersion != null && thisVersion != null && thisVersion.isBefore(seenVersion)) {
            // an older state than the one seen (a provider's retry of an earlier webhook, a lagging search index)
            return;
        }
        if (before != null && Objects.equals(before.path("version").asText(null), version) && fields.equals(before.get("fields"))) {
            // seen already (a poll's inclusive window, or a webhook and a poll of the same change); the fields count
            // too: a provider's version in whole seconds stays the same for two changes within one second
            return;
        }
        ObjectNode after = editable(taskId);
        after.set("fields", fields);
        after.put("version", version);
        // how many changes of the task were seen: a provider version that comes back (Pixflow's status 5 -> 15 -> 5)
        // is another change; a webhook and a poll of one change see the same count (the second finds it seen above)
        long sequence = before == null ? 1 : before.path("sequence").asLong(0) + 1;
        after.put("sequence", sequence);
        EventType type;
        ArrayNode changes = Json.MAPPER.createArrayNode();
        if (before == null || !before.has("fields")) {
            Instant created = instant(task.createdAt);
            boolean closedSince = closedAt != null && !closedAt.isBefore(since) && "closed".equals(task.status);
            type = knownNew || created != null && !created.isBefore(since) ? EventType.CREATED
                    : closedSince ? EventType.CLOSED : EventType.UPDATED;
        } else {
            JsonNode old = before.get("fields");
            List<String> tracked = new ArrayList<>(TRACKED);
            fields.fieldNames().forEachRemaining(name -> {
                if (!tracked.contains(name)) {
                    tracked.add(name);
                }
            });
            for (String field : tracked) {
                JsonNode from = old.path(field);
                JsonNode to = fields.path(field);
                if (!from.equals(to)) {
                    changes.addObject().put("field", field).set("from", from.isMissingNode() ? null : from);
                    ((ObjectNode) changes.get(changes.size() - 1)).set("to", to.isMissingNode() ? null : to);
                }
            }
            if (changes.isEmpty()) {
                // a change of something not tracked (a comment is reported on its own)
                return;
            }
            boolean wasClosed = "closed".equals(old.path("status").asText());
            boolean isClosed = "closed".equals(task.status);
            type = !wasClosed && isClosed ? EventType.CLOSED : wasClosed && !isClosed ? EventType.REOPENED : EventType.UPDATED;
        }
        ObjectNode data = data(taskId, task, raw);
        data.set("changes", changes);
        // the version and the state it shows: the same for a webhook and a poll of one change, different for two
        // changes within the version's resolution
        publish(new TaskEvent(provider, taskId, type, "v:" + version + ":" + fields + ":" + sequence, time == null ? now : time, data));
    }

    /**
     * A task the source knows to be new although the provider does not date it (a job in a complete list that was not
     * in the last one): {@code created} when it has no snapshot, else as {@link #task}.
     */
    public void created(NormalizedTask task, String version, Instant time, JsonNode raw, ObjectNode providerFields) {
        knownNew = true;
        try {
            task(task, version, time, raw, providerFields, null);
        } finally {
            knownNew = false;
        }
    }

    /** A comment on a task: {@code commented}, once per comment id. */
    public void comment(String taskId, NormalizedTask task, String commentId, String text, JsonNode author, String createdAt, JsonNode raw) {
        ObjectNode data = data(taskId, task, raw);
        ObjectNode comment = data.putObject("comment");
        comment.put("id", commentId).put("text", text).set("author", author);
        comment.put("createdAt", createdAt);
        Instant time = instant(createdAt);
        publish(new TaskEvent(provider, taskId, EventType.COMMENTED, "comment:" + commentId, time == null ? now : time, data));
    }

    /** A task that is gone: {@code deleted}, and its snapshot is dropped. */
    public void deleted(String taskId, NormalizedTask lastKnown, Instant time, JsonNode raw) {
        ObjectNode data = data(taskId, lastKnown, raw);
        publish(new TaskEvent(provider, taskId, EventType.DELETED, "deleted", time == null ? now : time, data));
    }

    /** Forgets a task (after {@link #deleted}): its snapshot becomes a tombstone. */
    public void forget(String taskId) {
        updates.put(taskId, null);
    }

    /** An event the provider reported as such (Worksection's event items), published once per id. */
    public void event(String taskId, EventType type, String change, Instant time, NormalizedTask task, JsonNode comment,
                      ArrayNode fieldChanges, JsonNode raw) {
        ObjectNode data = data(taskId, task, raw);
        if (comment != null) {
            data.set("comment", comment);
        }
        if (fieldChanges != null) {
            data.set("changes", fieldChanges);
        }
        publish(new TaskEvent(provider, taskId, type, change, time == null ? now : time, data));
    }

    private ObjectNode data(String taskId, NormalizedTask task, JsonNode raw) {
        ObjectNode data = Json.object();
        data.put("provider", provider);
        data.put("taskId", taskId);
        if (task != null) {
            ObjectNode normalized = Json.MAPPER.valueToTree(task);
            // the provider's object is the event's raw already
            normalized.remove("raw");
            data.set("task", normalized);
        }
        data.set("raw", raw);
        return data;
    }

    /** Published unless it is the baseline or its id was published for this task within the window. */
    private void publish(TaskEvent event) {
        ObjectNode snapshot = editable(event.taskId());
        ObjectNode seen = snapshot.with("seen");
        long cutoff = now.minus(window).toEpochMilli();
        for (Iterator<Map.Entry<String, JsonNode>> it = seen.fields(); it.hasNext(); ) {
            if (it.next().getValue().asLong() < cutoff) {
                it.remove();
            }
        }
        if (seen.has(event.id())) {
            return;
        }
        if (seen.size() >= MAX_SEEN) {
            seen.remove(seen.fieldNames().next());
        }
        seen.put(event.id(), now.toEpochMilli());
        if (!baseline) {
            events.add(event);
        }
    }

    private ObjectNode editable(String taskId) {
        ObjectNode current = updates.get(taskId);
        if (current == null) {
            ObjectNode storedSnapshot = stored.apply(taskId);
            current = storedSnapshot == null ? Json.object() : storedSnapshot.deepCopy();
            updates.put(taskId, current);
        }
        return current;
    }

    private static ObjectNode fields(NormalizedTask task) {
        ObjectNode all = Json.MAPPER.valueToTree(task);
        ObjectNode fields = Json.object();
        for (String field : TRACKED) {
            JsonNode value = all.get(field);
            if (value != null && !value.isNull()) {
                fields.set(field, value);
            }
        }
        return fields;
    }

    public List<TaskEvent> events() {
        return events;
    }

    /** Task id → new snapshot (null: forget it). */
    public Map<String, ObjectNode> updates() {
        return updates;
    }

    /**
     * Reads everything changed at or after {@code from}, sorted by change time, a page at a time by the key: each
     * request starts at the latest time seen so far, so a task that changes while the pages are read (and moves to
     * the end) cannot shift an unread one onto a page already read. Stops at a page shorter than {@code page}.
     *
     * @param read    one request: the items changed at or after the time, oldest first, at most {@code page}
     * @param observe reports one item, returns its change time (null when it has none)
     * @return the latest change time seen, the next cursor (inclusive: the snapshots tell what was seen)
     */
    public static Instant keyset(Instant from, int page, Function<Instant, JsonNode> read, Function<JsonNode, Instant> observe) {
        Instant next = from;
        while (true) {
            JsonNode items = read.apply(next);
            Instant latest = next;
            for (JsonNode item : items) {
                Instant at = observe.apply(item);
                if (at != null && at.isAfter(latest)) {
                    latest = at;
                }
            }
            if (items.size() < page) {
                return latest;
            }
            if (!latest.isAfter(next)) {
                // a whole page changed at one instant: the key cannot move past it
                org.slf4j.LoggerFactory.getLogger(Changes.class).warn("more than {} tasks changed at {}: the rest are seen when"
                        + " they change again", page, next);
                return latest;
            }
            next = latest;
        }
    }

    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd[' ']['T']HH:mm[:ss][.SSS]");

    /**
     * ISO-8601 with an offset or zone (Tracker's {@code +0000} too), or a zone-less {@code yyyy-MM-dd HH:mm[:ss]} read
     * as UTC (Task API v2), or null when absent or not a time.
     */
    public static Instant instant(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return OffsetDateTime.parse(text, DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSxx")).toInstant();
            } catch (DateTimeParseException e2) {
                try {
                    return java.time.LocalDateTime.parse(text.trim(), LOCAL).toInstant(java.time.ZoneOffset.UTC);
                } catch (DateTimeParseException e3) {
                    return null;
                }
            }
        }
    }
}
