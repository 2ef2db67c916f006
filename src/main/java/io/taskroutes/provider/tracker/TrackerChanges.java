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
import io.taskroutes.provider.ProviderConfig;

/**
 * Yandex Tracker changes: an issue's fields compared with what was seen of it, the change named by the issue's
 * {@code updatedAt} — the same whether a trigger or a poll showed it.
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
            observe(calls.call("task.get", Json.object().put("provider", TrackerProvider.ID).put("taskId", key)).path("task").path("raw"), changes);
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
            observe(issue, changes);
            return Changes.instant(issue.path("updatedAt").asText(null));
        }).toString();
    }

    private static void observe(JsonNode issue, Changes changes) {
        NormalizedTask task = TrackerResponses.normalize(issue);
        changes.task(task, task.updatedAt, Changes.instant(task.updatedAt), issue);
    }
}
