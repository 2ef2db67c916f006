package io.taskroutes.provider.taskapi;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.taskroutes.command.Json;
import io.taskroutes.command.TaskCommand;
import io.taskroutes.errors.ErrorReason;
import io.taskroutes.errors.TaskException;
import io.taskroutes.provider.HttpRequestSpec;
import io.taskroutes.provider.ProviderErrors;

/**
 * Canonical command to Task API v2 request. A task is {@code task_id, handler, user_id, entity_id, status,
 * request, response, created_at, updated_at}: canonical {@code assignee.id} is {@code user_id},
 * {@code status} is {@code status}; every other field (handler, entity_id, request, …) goes in {@code native}.
 */
final class TaskApiMapper {

    private TaskApiMapper() {
    }

    static HttpRequestSpec request(TaskCommand command) {
        return switch (command.operation()) {
            case LIST -> index(command, command.page() != null ? command.page() : command.allPages() ? 1 : null);
            case GET -> HttpRequestSpec.of("GET").path("/v2/task/view").segment(command.taskId()).build();
            case CREATE -> HttpRequestSpec.of("POST").path("/v2/task/create").jsonBody(taskBody(command)).build();
            case UPDATE -> {
                ObjectNode body = taskBody(command);
                if (body.isEmpty()) {
                    throw new TaskException(ErrorReason.INVALID, "task.update for taskapi needs status, assignee or a native field")
                            .withProvider(command.provider()).withOperation(command.operation().wireName());
                }
                yield HttpRequestSpec.of("PUT").path("/v2/task/update").segment(command.taskId()).jsonBody(body).build();
            }
            case DELETE -> HttpRequestSpec.of("DELETE").path("/v2/task/delete").segment(command.taskId())
                    .query("force", Boolean.TRUE.equals(command.force())).build();
            default -> throw new IllegalStateException("taskapi has no " + command.operation());
        };
    }

    /** POST /v2/task/index for one page: {@code {"filter":{..},"per-page":N,"page":P,"sort":"-created_at"}}. */
    static HttpRequestSpec index(TaskCommand c, Integer page) {
        ObjectNode body = Json.object();
        body.set("filter", c.filter() != null ? c.filter().deepCopy() : Json.object());
        if (c.perPage() != null) {
            body.put("per-page", c.perPage());
        }
        if (page != null) {
            body.put("page", page);
        }
        if (c.sort() != null) {
            body.put("sort", c.sort());
        }
        ProviderErrors.mergeNative(body, c.nativeFields());
        if (page != null) {
            body.put("page", page); // the walk decides the page, even over native
        }
        return HttpRequestSpec.of("POST").path("/v2/task/index").jsonBody(body).build();
    }

    private static ObjectNode taskBody(TaskCommand c) {
        ObjectNode body = Json.object();
        if (c.assignee() != null && c.assignee().hasNonNull("id")) {
            body.set("user_id", c.assignee().get("id"));
        }
        if (c.status() != null) {
            body.put("status", c.status());
        }
        return ProviderErrors.mergeNative(body, c.nativeFields());
    }
}
