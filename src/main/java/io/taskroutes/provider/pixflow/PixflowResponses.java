package io.taskroutes.provider.pixflow;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.taskroutes.command.NormalizedTask;
import io.taskroutes.command.TaskCommand;
import io.taskroutes.command.TaskResult;
import io.taskroutes.errors.ErrorReason;
import io.taskroutes.errors.TaskException;
import io.taskroutes.provider.HttpResponseView;
import io.taskroutes.provider.ProviderErrors;

/**
 * Pixflow answers HTTP 200 for business errors ({@code {"type":"error","errors":[...]}}): those are
 * {@code rejected}, never retried. Numbers come back as strings and {@code data} is an array even for one task.
 */
final class PixflowResponses {

    private PixflowResponses() {
    }

    /** Pixflow's answer to a task uid it does not have (fixture task-not-found.response.json). */
    static final String TASK_NOT_FOUND = "Задача не найдена";

    static boolean isTaskNotFound(TaskException failure) {
        return failure.reason() == ErrorReason.REJECTED && failure.getMessage() != null && failure.getMessage().contains(TASK_NOT_FOUND);
    }

    static TaskResult toResult(TaskCommand command, HttpResponseView response) {
        JsonNode body = response.json();
        if (!response.isSuccess()) {
            throw ProviderErrors.fromStatus(PixflowProvider.ID, response, errors(body));
        }
        if (!body.isObject()) {
            throw ProviderErrors.rejected(PixflowProvider.ID, response,
                    "answer is not a JSON object: " + ProviderErrors.snippet(response.bodyText()));
        }
        if ("error".equals(NormalizedTask.text(body, "type"))) {
            String errors = errors(body);
            throw ProviderErrors.rejected(PixflowProvider.ID, response, errors.isEmpty() ? "error without a message" : errors);
        }
        TaskResult result = TaskResult.of(command).raw(body);
        JsonNode data = body.path("data");
        return switch (command.operation()) {
            case GET -> result.task(data.isArray() && data.size() > 0 ? normalize(data.get(0)) : null);
            case LIST -> {
                List<NormalizedTask> tasks = new ArrayList<>();
                data.forEach(t -> tasks.add(normalize(t)));
                yield result.tasks(tasks);
            }
            case CREATE -> result.task(normalize(data.isArray() && data.size() > 0 ? data.get(0) : data));
            default -> result;
        };
    }

    private static String errors(JsonNode body) {
        List<String> messages = new ArrayList<>();
        body.path("errors").forEach(e -> messages.add(e.asText()));
        return String.join("; ", messages);
    }

    static NormalizedTask normalize(JsonNode job) {
        NormalizedTask task = new NormalizedTask();
        task.id = NormalizedTask.text(job, "uid");
        task.status = status(NormalizedTask.text(job, "status"));
        task.createdAt = NormalizedTask.text(job, "date");
        task.raw = job;
        return task;
    }

    /** 0 creating, 1 awaiting payment, 5 in progress → open; 10 done → closed; 15 → error. */
    static String status(String code) {
        if (code == null) {
            return "open";
        }
        return switch (code.trim()) {
            case "10" -> "closed";
            case "15" -> "error";
            default -> "open";
        };
    }
}
