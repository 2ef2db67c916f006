package io.taskroutes.provider.pixflow;

import java.time.Instant;
import java.util.HashSet;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import io.taskroutes.command.Json;
import io.taskroutes.command.NormalizedTask;
import io.taskroutes.events.ChangeSource;
import io.taskroutes.events.Changes;

/**
 * Pixflow has no callbacks: every poll lists the account's jobs ({@code POST /tasks}) and compares each job's
 * status code (0 creating, 1 awaiting payment, 5 in progress, 10 done, 15 error) with the last one seen; a new
 * code is an event ({@code closed} at 10, {@code updated} otherwise, with the change of {@code pixflowStatus}),
 * a job not seen before is {@code created}, one missing from two lists in a row is {@code deleted}. The baseline records
 * every job's status.
 */
final class PixflowChanges implements ChangeSource {

    @Override
    public String baseline(Instant now, Calls calls, Changes changes) {
        observe(calls, changes);
        return "listed";
    }

    @Override
    public String poll(String cursor, Calls calls, Changes changes) {
        Set<String> listed = observe(calls, changes);
        for (String gone : changes.knownTasks()) {
            if (listed.contains(gone)) {
                continue;
            }
            // missing from two lists in a row: one answer that left a job out does not delete it
            if (changes.note(gone, "missing").isEmpty()) {
                changes.note(gone, "missing", Json.MAPPER.getNodeFactory().booleanNode(true));
            } else {
                changes.deleted(gone, changes.lastKnown(gone), null, Json.object().put("uid", gone));
                changes.forget(gone);
            }
        }
        return "listed";
    }

    private static Set<String> observe(Calls calls, Changes changes) {
        Set<String> listed = new HashSet<>();
        for (JsonNode item : calls.call("task.list", Json.object().put("provider", PixflowProvider.ID)).path("tasks")) {
            JsonNode job = item.path("raw");
            NormalizedTask task = PixflowResponses.normalize(job);
            if (task.id == null) {
                continue;
            }
            listed.add(task.id);
            if (changes.note(task.id, "missing").isPresent()) {
                changes.note(task.id, "missing", Json.MAPPER.nullNode());
            }
            String code = job.path("status").asText();
            // the list is the whole account: a job not in the last one is new (Pixflow's date has no zone to compare)
            changes.created(task, "status:" + code, null, job, Json.object().put("pixflowStatus", code));
        }
        return listed;
    }
}
