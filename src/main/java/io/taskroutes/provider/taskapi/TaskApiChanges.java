package io.taskroutes.provider.taskapi;

import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.taskroutes.command.Json;
import io.taskroutes.command.NormalizedTask;
import io.taskroutes.events.ChangeSource;
import io.taskroutes.events.Changes;

/**
 * Task API v2 has no callbacks: a poll asks {@code POST /v2/task/index} for the tasks with {@code updated_at} at or
 * after the cursor, sorted by it, and compares each with its snapshot (the change named by its {@code updated_at},
 * read as UTC). It pages by the key ({@link Changes#keyset}), not by page number: a task updated while the pages are
 * read moves to the end and would shift a later one onto a page already read.
 */
final class TaskApiChanges implements ChangeSource {

    /** Tasks per request of a poll. */
    static final int PAGE = 100;
    private static final java.time.format.DateTimeFormatter SERVICE_TIME =
            java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(java.time.ZoneOffset.UTC);

    @Override
    public String baseline(Instant now, Calls calls, Changes changes) {
        // every task's state as it is (publishing nothing), so its first change after the baseline shows what changed
        poll(Instant.EPOCH.toString(), calls, changes);
        return now.toString();
    }

    @Override
    public String poll(String cursor, Calls calls, Changes changes) {
        return Changes.keyset(Instant.parse(cursor), PAGE, from -> {
            ObjectNode command = Json.object().put("provider", TaskApiProvider.ID).put("sort", "updated_at")
                    .put("page", 1).put("perPage", PAGE);
            // the service's own format (UTC): a filter it compares as text still orders the same way
            command.putObject("filter").putObject("updated_at").put("gte", SERVICE_TIME.format(from));
            return calls.call("task.list", command).path("tasks");
        }, listed -> {
            JsonNode raw = listed.path("raw");
            NormalizedTask task = TaskApiResponses.normalize(raw);
            Instant updated = Changes.instant(task.updatedAt);
            changes.task(task, task.updatedAt, updated, raw);
            return updated;
        }).toString();
    }
}
