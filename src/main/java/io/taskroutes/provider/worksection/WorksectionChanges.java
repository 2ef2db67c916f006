package io.taskroutes.provider.worksection;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.taskroutes.command.Json;
import io.taskroutes.command.NormalizedTask;
import io.taskroutes.events.ChangeSource;
import io.taskroutes.events.Changes;
import io.taskroutes.events.EventType;
import io.taskroutes.events.WebhookAuth;
import io.taskroutes.provider.ProviderConfig;

/**
 * Worksection reports events itself — webhook items and {@code get_events} items have the same shape
 * ({@code action, object{type,id,page}, date_added, user_from, new, old}) — so each item is one event, its id made
 * of action, object and time, the same whichever way it came.
 * <ul>
 * <li>Webhook: HTTP Basic credentials set on the webhook ({@code tasks.worksection.events.webhook-user} and
 * {@code -password}); a JSON array of items (a single item is accepted too); answered {@code {"status":"OK"}}.</li>
 * <li>Polling: {@code get_events} with the shortest {@code period} that reaches back to the cursor (at most 30 days).</li>
 * </ul>
 * Worksection's times carry no zone: they are the account's ({@code tasks.worksection.timezone}, UTC by default).
 */
final class WorksectionChanges implements ChangeSource {

    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm[:ss]");

    private final Optional<java.util.function.BiPredicate<byte[], Function<String, String>>> auth;
    private final ZoneId zone;
    private final String baseUrl;

    WorksectionChanges(ProviderConfig config) {
        this.auth = WebhookAuth.basicOrSecret(config);
        this.zone = ZoneId.of(config.get("timezone").orElse("UTC"));
        this.baseUrl = config.baseUrl().orElse("");
    }

    @Override
    public Optional<Webhook> webhook() {
        return auth.map(check -> Webhook.of(check, (body, header, calls, changes) -> {
            JsonNode root = WebhookAuth.json(body);
            if (!root.isArray() && !root.isObject()) {
                throw new WebhookAuth.Malformed("a worksection webhook body is an array of event items");
            }
            JsonNode items = root.isArray() ? root : Json.MAPPER.createArrayNode().add(root);
            for (JsonNode item : items) {
                if (!item.path("object").hasNonNull("id") || !item.hasNonNull("action")) {
                    throw new WebhookAuth.Malformed("a worksection event item without action or object.id");
                }
            }
            items.forEach(item -> event(item, changes));
        }, "{\"status\":\"OK\"}"));
    }

    @Override
    public String baseline(Instant now, Calls calls, Changes changes) {
        // the items since then are recorded (not published), so the first poll does not report them again
        return poll(now.toString(), calls, changes);
    }

    @Override
    public String poll(String cursor, Calls calls, Changes changes) {
        Instant from = Instant.parse(cursor);
        ObjectNode command = Json.object().put("provider", WorksectionProvider.ID);
        command.putObject("native").put("period", period(Duration.between(from, Instant.now())));
        Instant next = from;
        // oldest first, whatever order the log is answered in: one task's events stay in order
        java.util.List<JsonNode> items = new java.util.ArrayList<>();
        calls.call("task.list", command).path("raw").path("data").forEach(items::add);
        // a log answered newest first is turned around before the stable sort, so items of one minute keep their order
        if (items.size() > 1 && Objects.compare(time(items.get(0).path("date_added").asText(null)),
                time(items.get(items.size() - 1).path("date_added").asText(null)),
                java.util.Comparator.nullsFirst(java.util.Comparator.<Instant>naturalOrder())) > 0) {
            java.util.Collections.reverse(items);
        }
        items.sort(java.util.Comparator.comparing(item -> {
            Instant at = time(item.path("date_added").asText(null));
            return at == null ? Instant.EPOCH : at;
        }));
        for (JsonNode item : items) {
            Instant at = time(item.path("date_added").asText(null));
            // date_added has whole minutes: the cursor's minute is read again, the event ids tell what was seen
            if (at == null || at.isBefore(from.truncatedTo(java.time.temporal.ChronoUnit.MINUTES))) {
                continue;
            }
            event(item, changes);
            next = at.isAfter(next) ? at : next;
        }
        // inclusive (its minute again next time): the event ids tell what was published
        return next.toString();
    }

    /** The shortest get_events period that covers {@code age}, with a minute to spare: 1m–360m, 1h–72h, 1d–30d. */
    static String period(Duration age) {
        long minutes = Math.max(1, age.toMinutes() + 2);
        if (minutes <= 360) {
            return minutes + "m";
        }
        long hours = (minutes + 59) / 60;
        if (hours <= 72) {
            return hours + "h";
        }
        return Math.min(30, (hours + 23) / 24) + "d";
    }

    private void event(JsonNode item, Changes changes) {
        String action = item.path("action").asText();
        JsonNode object = item.path("object");
        String objectType = object.path("type").asText();
        String objectId = object.path("id").asText();
        String page = object.path("page").asText(null);
        boolean comment = objectType.equals("comment");
        if (!comment && !objectType.equals("task")) {
            return; // projects and the like are not task events
        }
        EventType type = switch (action) {
            case "post" -> comment ? EventType.COMMENTED : EventType.CREATED;
            case "update" -> comment ? null : EventType.UPDATED;
            case "close" -> EventType.CLOSED;
            case "reopen" -> EventType.REOPENED;
            case "delete" -> comment ? null : EventType.DELETED;
            default -> null;
        };
        if (type == null) {
            return;
        }
        String taskId = comment ? taskOf(page) : objectId;
        if (taskId == null) {
            return;
        }
        String dateAdded = item.path("date_added").asText(null);
        Instant time = time(dateAdded);
        ObjectNode fields = item.path("new").isObject() ? ((ObjectNode) item.get("new")).deepCopy() : Json.object();
        NormalizedTask task = null;
        ObjectNode commentNode = null;
        if (comment) {
            commentNode = Json.object().put("id", objectId).put("text", NormalizedTask.text(fields, "text"));
            commentNode.set("author", NormalizedTask.node(item, "user_from"));
            commentNode.put("createdAt", time == null ? null : time.toString());
        } else {
            fields.put("id", taskId);
            if (page != null) {
                fields.put("page", page);
            }
            task = WorksectionResponses.normalize(fields, null, baseUrl);
            task.raw = null;
        }
        // date_added has whole minutes: what changed and who changed it tell two changes of one minute apart
        String what = item.path("new").toString() + item.path("old") + item.path("user_from").path("id").asText("");
        changes.event(taskId, type, "ws:" + action + ":" + objectType + ":" + objectId + ":" + dateAdded + ":" + what, time, task,
                commentNode, comment ? null : fieldChanges(item), item);
    }

    private static ArrayNode fieldChanges(JsonNode item) {
        ArrayNode changes = Json.MAPPER.createArrayNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = item.path("new").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            ObjectNode change = changes.addObject().put("field", field.getKey());
            change.set("from", item.path("old").get(field.getKey()));
            change.set("to", field.getValue());
        }
        return changes;
    }

    /** The task of a comment: the last number of its page ({@code /project/1/1001/}). */
    static String taskOf(String page) {
        if (page == null) {
            return null;
        }
        String[] segments = page.replaceAll("^/+|/+$", "").split("/");
        String last = segments[segments.length - 1];
        return last.matches("\\d+") ? last : null;
    }

    private Instant time(String local) {
        if (local == null) {
            return null;
        }
        try {
            return LocalDateTime.parse(local.trim(), LOCAL).atZone(zone).toInstant();
        } catch (DateTimeParseException e) {
            return Changes.instant(local);
        }
    }
}
