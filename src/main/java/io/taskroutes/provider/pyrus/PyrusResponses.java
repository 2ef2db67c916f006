package io.taskroutes.provider.pyrus;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.taskroutes.command.Json;
import io.taskroutes.command.NormalizedTask;
import io.taskroutes.command.TaskCommand;
import io.taskroutes.command.TaskResult;
import io.taskroutes.errors.TaskException;
import io.taskroutes.provider.HttpResponseView;
import io.taskroutes.provider.ProviderErrors;

/** Pyrus answers: {@code {"task":...}}, {@code {"tasks":[...],"has_more":..}}, errors {@code {"error_code","error"}}. */
final class PyrusResponses {

    private PyrusResponses() {
    }

    static TaskResult toResult(TaskCommand command, HttpResponseView response) {
        JsonNode body = response.json();
        if (!response.isSuccess()) {
            throw error(response, body);
        }
        TaskResult result = TaskResult.of(command).raw(body);
        return switch (command.operation()) {
            case GET, CREATE, COMMENT -> result.task(body.has("task") ? normalize(body.get("task")) : null);
            case LIST -> {
                List<NormalizedTask> tasks = new ArrayList<>();
                body.path("tasks").forEach(t -> tasks.add(normalize(t)));
                result.page = Json.object().put("hasMore", body.path("has_more").asBoolean(false));
                yield result.tasks(tasks);
            }
            default -> result;
        };
    }

    /** error_code is stable, the text is not: both go into the message. 429 waits for the rate-limit window. */
    private static TaskException error(HttpResponseView response, JsonNode body) {
        String code = NormalizedTask.text(body, "error_code");
        String text = NormalizedTask.text(body, "error");
        String detail = code == null ? null : code + (text == null ? "" : " " + text);
        TaskException e = ProviderErrors.fromStatus(PyrusProvider.ID, response, detail);
        if (e.retryAfter() == null && response.status() == 429) {
            response.secondsHeader("X-RateLimit-Reset").ifPresent(e::withRetryAfter);
        }
        return e;
    }

    static NormalizedTask normalize(JsonNode t) {
        NormalizedTask task = new NormalizedTask();
        task.id = NormalizedTask.text(t, "id");
        task.title = NormalizedTask.text(t, "subject");
        task.text = NormalizedTask.text(t, "text");
        task.status = t.hasNonNull("close_date") ? "closed" : "open";
        task.assignee = NormalizedTask.node(t, "responsible");
        task.author = NormalizedTask.node(t, "author");
        task.createdAt = NormalizedTask.text(t, "create_date");
        task.updatedAt = NormalizedTask.text(t, "last_modified_date");
        task.dueDate = t.hasNonNull("due_date") ? NormalizedTask.text(t, "due_date") : NormalizedTask.text(t, "due");
        task.parentId = NormalizedTask.text(t, "parent_task_id");
        task.raw = t;
        return task;
    }
}
