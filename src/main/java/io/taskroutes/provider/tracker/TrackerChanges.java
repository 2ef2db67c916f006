package io.taskroutes.provider.tracker;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.taskroutes.command.Json;
import io.taskroutes.command.NormalizedTask;
import io.taskroutes.events.ChangeSource;
import io.taskroutes.events.Changes;
import io.taskroutes.events.WebhookAuth;
import io.taskroutes.provider.HttpRequestSpec;
import io.taskroutes.provider.ProviderConfig;

/**
 * Yandex Tracker changes: an issue's fields compared with what was seen of it, the change named by the issue's
 * {@code updatedAt} — the same whether a trigger or a poll showed it — and its new comments ({@code commented}, once
 * per comment id).
 * <ul>
 * <li>Webhook: a trigger's "HTTP request" action with body {@code {"key":"{{issue.key}}"}}, authenticated with
 * Basic credentials or the shared secret header {@code X-Webhook-Secret} (Tracker does not sign); the issue is
 * then read ({@code task.get}), so the event carries its current state.</li>
 * <li>Polling: {@code _search} with {@code Updated: >= "<cursor>" "Sort By": Updated ASC}, paged by the key
 * ({@link Changes#keyset}).</li>
 * </ul>
 */
final class TrackerChanges implements ChangeSource {

    /** Issues per search of a poll. */
    static final int PAGE = 100;

    private static final DateTimeFormatter QUERY_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    private final Optional<java.util.function.BiPredicate<byte[], Function<String, String>>> auth;

    TrackerChanges(ProviderConfig config) {
        this.auth = WebhookAuth.basicOrSecret(config);
    }

    @Override
    public Optional<Webhook> webhook() {
        return auth.map(check -> Webhook.of(check, (body, header, calls, changes) -> {
            String key = WebhookAuth.json(body).path("key").asText("");
            if (!key.matches("[A-Za-z][A-Za-z0-9_]*-\\d+|\\d+")) {
                throw new WebhookAuth.Malformed("a tracker webhook body is {\"key\":\"{{issue.key}}\"}, got no issue key");
            }
            observe(calls.call("task.get", Json.object().put("provider", TrackerProvider.ID).put("taskId", key)).path("task").path("raw"),
                    calls, changes);
        }, "{\"status\":\"ok\"}"));
    }

    @Override
    public String baseline(Instant now, Calls calls, Changes changes) {
        // every task's state as it is (publishing nothing), so its first change after the baseline shows what changed
        poll(Instant.EPOCH.toString(), calls, changes);
        return now.toString();
    }

    @Override
    public String poll(String cursor, Calls calls, Changes changes) {
        return Changes.keyset(Instant.parse(cursor), PAGE, from -> {
            ObjectNode command = Json.object().put("provider", TrackerProvider.ID).put("page", 1).put("perPage", PAGE);
            command.putObject("native").put("query", "Updated: >= \"" + QUERY_TIME.format(from) + "\" \"Sort By\": Updated ASC");
            return calls.call("task.list", command).path("tasks");
        }, listed -> {
            JsonNode issue = listed.path("raw");
            observe(issue, calls, changes);
            return Changes.instant(issue.path("updatedAt").asText(null));
        }).toString();
    }

    /**
     * An issue as it is now: its fields, and — when it changed since it was last seen (a comment moves
     * {@code updatedAt} and nothing else) — its comments not seen before ({@code GET /v3/issues/{key}/comments}).
     * The baseline reads no comments: those before it are older than the events.
     */
    private static void observe(JsonNode issue, Calls calls, Changes changes) {
        NormalizedTask task = TrackerResponses.normalize(issue);
        String seenVersion = changes.snapshot(task.id).map(s -> s.path("version").asText(null)).orElse(null);
        boolean moved = !changes.baseline() && task.updatedAt != null && !task.updatedAt.equals(seenVersion);
        boolean known = changes.snapshot(task.id).map(s -> s.has("fields")).orElse(false);
        if (!known) {
            changes.task(task, task.updatedAt, Changes.instant(task.updatedAt), issue);
        }
        if (moved) {
            comments(task, calls, changes);
        }
        if (known) {
            changes.task(task, task.updatedAt, Changes.instant(task.updatedAt), issue);
        }
    }

    private static void comments(NormalizedTask task, Calls calls, Changes changes) {
        long last = changes.note(task.id, "lastComment").map(JsonNode::asLong).orElse(-1L);
        long newest = last;
        JsonNode comments;
        try {
            comments = calls.read(TrackerProvider.ID, "/v3/issues/" + HttpRequestSpec.encodeSegment(task.id) + "/comments");
        } catch (io.taskroutes.errors.TaskException e) {
            if (e.reason() == io.taskroutes.errors.ErrorReason.UNAVAILABLE) {
                throw e; // the whole poll again later, from the same cursor
            }
            org.slf4j.LoggerFactory.getLogger(TrackerChanges.class).warn("yandex-tracker: the comments of {} could not be read ({}), skipped",
                    task.id, e.reason());
            return;
        }
        for (JsonNode comment : comments) {
            long id = comment.path("id").asLong();
            Instant created = Changes.instant(comment.path("createdAt").asText(null));
            boolean unseen = last >= 0 ? id > last : created == null || !created.isBefore(changes.since());
            if (unseen) {
                changes.comment(task.id, task, comment.path("longId").asText(String.valueOf(id)), comment.path("text").asText(""),
                        NormalizedTask.node(comment, "createdBy"), comment.path("createdAt").asText(null), comment);
            }
            newest = Math.max(newest, id);
        }
        if (newest != last) {
            changes.note(task.id, "lastComment", Json.MAPPER.getNodeFactory().numberNode(newest));
        }
    }
}
