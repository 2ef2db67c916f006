package io.taskroutes.provider.pyrus;

import java.util.Iterator;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.taskroutes.command.Json;
import io.taskroutes.command.TaskCommand;
import io.taskroutes.errors.ErrorReason;
import io.taskroutes.errors.TaskException;
import io.taskroutes.provider.HttpRequestSpec;
import io.taskroutes.provider.ProviderErrors;

/** Canonical command to Pyrus API v4 request (seed 001: tasks, comments). */
final class PyrusMapper {

    private PyrusMapper() {
    }

    static HttpRequestSpec request(TaskCommand command) {
        return switch (command.operation()) {
            case GET -> HttpRequestSpec.of("GET").path("/tasks").segment(command.taskId()).build();
            case DELETE -> HttpRequestSpec.of("DELETE").path("/tasks").segment(command.taskId()).build();
            case CREATE -> HttpRequestSpec.of("POST").path("/tasks").jsonBody(createBody(command)).build();
            case COMMENT -> HttpRequestSpec.of("POST").path("/tasks").segment(command.taskId()).path("/comments")
                    .jsonBody(commentBody(command)).build();
            case LIST -> list(command);
            default -> throw new IllegalStateException("pyrus has no " + command.operation());
        };
    }

    static ObjectNode createBody(TaskCommand c) {
        ObjectNode body = Json.object();
        putText(body, "text", c.text());
        putText(body, "subject", c.title());
        putNode(body, "responsible", c.assignee());
        if (c.participants() != null) {
            body.putArray("participants").addAll(c.participants());
        }
        putText(body, "due_date", c.dueDate());
        putId(body, "parent_task_id", c.parentTaskId());
        putNode(body, "form_id", c.formId());
        putNode(body, "fields", c.fields());
        ProviderErrors.mergeNative(body, c.nativeFields());
        if (!body.hasNonNull("form_id") && !body.hasNonNull("text")) {
            throw invalid(c, "text is required for a plain pyrus task (or give formId for a form task)");
        }
        return body;
    }

    static ObjectNode commentBody(TaskCommand c) {
        ObjectNode body = Json.object();
        putText(body, "text", c.text());
        putText(body, "formatted_text", c.formattedText());
        if (c.action() != null) {
            body.put("action", c.action().equals("close") ? "finished" : "reopened");
        }
        putNode(body, "reassign_to", c.assignee());
        ProviderErrors.mergeNative(body, c.nativeFields());
        if (body.isEmpty()) {
            throw invalid(c, "a pyrus comment needs text, formattedText, action, assignee or a native field");
        }
        return body;
    }

    /** GET /lists/{filter.listId}/tasks, else the bot's inbox; other filter and native fields become query parameters. */
    private static HttpRequestSpec list(TaskCommand c) {
        ObjectNode query = Json.object();
        JsonNode listId = null;
        if (c.filter() != null) {
            query.setAll(c.filter().deepCopy());
            listId = query.remove("listId");
        }
        if (c.perPage() != null) {
            query.put("item_count", c.perPage());
        }
        ProviderErrors.mergeNative(query, c.nativeFields());
        HttpRequestSpec.Builder request = HttpRequestSpec.of("GET");
        if (listId != null && !listId.isNull()) {
            request.path("/lists").segment(listId.asText()).path("/tasks");
        } else {
            request.path("/inbox");
        }
        Iterator<Map.Entry<String, JsonNode>> it = query.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            request.query(e.getKey(), ProviderErrors.formValue(e.getValue()));
        }
        return request.build();
    }

    private static void putText(ObjectNode body, String name, String value) {
        if (value != null) {
            body.put(name, value);
        }
    }

    /** Pyrus ids are integers; a numeric id stays a number on the wire. */
    private static void putId(ObjectNode body, String name, String value) {
        if (value != null) {
            if (value.matches("\\d{1,18}")) {
                body.put(name, Long.parseLong(value));
            } else {
                body.put(name, value);
            }
        }
    }

    private static void putNode(ObjectNode body, String name, JsonNode value) {
        if (value != null) {
            body.set(name, value);
        }
    }

    private static TaskException invalid(TaskCommand c, String message) {
        return new TaskException(ErrorReason.INVALID, message).withProvider(c.provider()).withOperation(c.operation().wireName());
    }
}
