package io.taskroutes.provider.taskapi;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.taskroutes.command.Json;
import io.taskroutes.command.NormalizedTask;
import io.taskroutes.command.TaskCommand;
import io.taskroutes.command.TaskResult;
import io.taskroutes.errors.ErrorReason;
import io.taskroutes.errors.TaskException;
import io.taskroutes.provider.HttpResponseView;
import io.taskroutes.provider.ProviderErrors;

/**
 * Yii2 REST answers: lists as a JSON array with {@code X-Pagination-*} headers, validation failures as 422
 * {@code [{"field","message"}]}, other errors as {@code {"name","message","code","status"}}, rate limits as 429
 * with {@code X-Rate-Limit-Reset}. A delete without force may answer the related entities instead of deleting.
 */
final class TaskApiResponses {

    private TaskApiResponses() {
    }

    static TaskResult toResult(TaskCommand command, HttpResponseView response) {
        JsonNode body = response.json();
        if (!response.isSuccess()) {
            throw error(response, body);
        }
        TaskResult result = TaskResult.of(command).raw(body.isNull() ? null : body);
        return switch (command.operation()) {
            case LIST -> {
                List<NormalizedTask> tasks = new ArrayList<>();
                JsonNode items = body.isArray() ? body : body.path("items");
                items.forEach(t -> tasks.add(normalize(t)));
                result.page = pagination(response);
                yield result.tasks(tasks);
            }
            case GET, CREATE, UPDATE -> result.task(body.isObject() ? normalize(body) : null);
            case DELETE -> {
                if (!Boolean.TRUE.equals(command.force()) && hasRelated(body)) {
                    throw new TaskException(ErrorReason.REJECTED, "taskapi did not delete task " + command.taskId()
                            + ": it has related entities, which force=true would delete too: " + ProviderErrors.snippet(body.toString()))
                            .withHttpStatus(response.status()).withDetails(body);
                }
                yield result;
            }
            default -> result;
        };
    }

    /** The page after this one, from the pagination headers (or the Link header), when there is one. */
    static Optional<Integer> nextPage(HttpResponseView response) {
        Optional<Integer> current = intHeader(response, "X-Pagination-Current-Page");
        Optional<Integer> count = intHeader(response, "X-Pagination-Page-Count");
        if (current.isPresent() && count.isPresent()) {
            return current.get() < count.get() ? Optional.of(current.get() + 1) : Optional.empty();
        }
        boolean linkNext = response.header("Link").map(l -> l.contains("rel=next") || l.contains("rel=\"next\"")).orElse(false);
        return linkNext && current.isPresent() ? Optional.of(current.get() + 1) : Optional.empty();
    }

    private static JsonNode pagination(HttpResponseView response) {
        ObjectNode page = Json.object();
        intHeader(response, "X-Pagination-Total-Count").ifPresent(v -> page.put("totalCount", v));
        intHeader(response, "X-Pagination-Page-Count").ifPresent(v -> page.put("pageCount", v));
        intHeader(response, "X-Pagination-Per-Page").ifPresent(v -> page.put("perPage", v));
        intHeader(response, "X-Pagination-Current-Page").ifPresent(v -> page.put("currentPage", v));
        return page.isEmpty() ? null : page;
    }

    private static Optional<Integer> intHeader(HttpResponseView response, String name) {
        return response.header(name).flatMap(v -> {
            try {
                return Optional.of(Integer.parseInt(v.trim()));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        });
    }

    private static boolean hasRelated(JsonNode body) {
        if (body.isArray()) {
            return body.size() > 0;
        }
        if (body.isObject()) {
            for (JsonNode value : body) {
                if (value.isArray() && value.size() > 0) {
                    return true;
                }
            }
        }
        return false;
    }

    private static TaskException error(HttpResponseView response, JsonNode body) {
        String detail;
        JsonNode details = null;
        if (response.status() == 422 && body.isArray()) {
            List<String> fields = new ArrayList<>();
            body.forEach(e -> fields.add(e.path("field").asText() + ": " + e.path("message").asText()));
            detail = "validation failed: " + String.join("; ", fields);
            details = body;
        } else if (body.isObject() && body.has("message")) {
            detail = body.path("name").asText("Error") + ": " + body.path("message").asText();
        } else {
            detail = null;
        }
        TaskException e = ProviderErrors.fromStatus(TaskApiProvider.ID, response, detail).withDetails(details);
        if (e.retryAfter() == null && response.status() == 429) {
            response.secondsHeader("X-Rate-Limit-Reset").ifPresent(e::withRetryAfter);
        }
        return e;
    }

    static NormalizedTask normalize(JsonNode t) {
        NormalizedTask task = new NormalizedTask();
        task.id = NormalizedTask.text(t, "task_id");
        task.title = NormalizedTask.text(t, "handler");
        task.status = NormalizedTask.text(t, "status");
        if (t.hasNonNull("user_id")) {
            task.assignee = Json.object().set("id", t.get("user_id"));
        }
        task.createdAt = timestamp(t.get("created_at"));
        task.updatedAt = timestamp(t.get("updated_at"));
        task.raw = t;
        return task;
    }

    /** Yii2 often stores unix seconds; those become ISO-8601 UTC, text stays as the service wrote it. */
    static String timestamp(JsonNode value) {
        if (value == null || value.isNull()) {
            return null;
        }
        if (value.isIntegralNumber() || value.asText().matches("\\d{9,11}")) {
            return Instant.ofEpochSecond(value.asLong()).toString();
        }
        return value.asText();
    }
}
