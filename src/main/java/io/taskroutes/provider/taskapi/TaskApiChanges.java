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
 * after the cursor, sorted by it, every page, and compares each with its snapshot (the change named by its
 * {@code updated_at}).
 */
final class TaskApiChanges implements ChangeSource {

    @Override
    public String baseline(Instant now, Calls calls, Changes changes) {
        // every task's state as it is (publishing nothing), so its first change after the baseline shows what changed;
        // a list longer than tasks.<provider>.list.max-pages pages is cut, and those tasks' first change shows none
        poll(Instant.EPOCH.toString(), calls, changes);
        return now.toString();
    }

    @Override
    public String poll(String cursor, Calls calls, Changes changes) {
        Instant from = Instant.parse(cursor);
        ObjectNode command = Json.object().put("provider", TaskApiProvider.ID).put("allPages", true).put("sort", "updated_at");
        command.putObject("filter").putObject("updated_at").put("gte", from.toString());
        Instant next = from;
        for (JsonNode listed : calls.call("task.list", command).path("tasks")) {
            JsonNode raw = listed.path("raw");
            NormalizedTask task = TaskApiResponses.normalize(raw);
            Instant updated = Changes.instant(task.updatedAt);
            changes.task(task, task.updatedAt, updated, raw);
            if (updated != null && updated.isAfter(next)) {
                next = updated;
            }
        }
        return next.toString();
    }
}
