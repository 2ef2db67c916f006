package io.taskroutes.dispatch;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.taskroutes.command.Json;
import io.taskroutes.command.NormalizedTask;
import io.taskroutes.command.TaskResult;

/** The pages of one {@code allPages} list so far; merged into one result when the last page has arrived. */
final class Pages {

    private final List<TaskResult> results = new ArrayList<>();
    private boolean truncated;

    void add(TaskResult page) {
        results.add(page);
    }

    int count() {
        return results.size();
    }

    void truncated() {
        truncated = true;
    }

    /** All tasks in page order; {@code page} is the last page's facts plus pages walked; {@code raw} every body. */
    TaskResult merged() {
        TaskResult last = results.get(results.size() - 1);
        List<NormalizedTask> tasks = new ArrayList<>();
        ArrayNode raws = Json.MAPPER.createArrayNode();
        for (TaskResult page : results) {
            if (page.tasks != null) {
                tasks.addAll(page.tasks);
            }
            raws.add(page.raw);
        }
        ObjectNode page = last.page != null && last.page.isObject() ? ((ObjectNode) last.page).deepCopy() : Json.object();
        page.put("pagesFetched", results.size());
        if (truncated) {
            page.put("truncated", true);
        }
        last.tasks = tasks;
        last.page = page;
        last.raw = raws;
        return last;
    }
}
