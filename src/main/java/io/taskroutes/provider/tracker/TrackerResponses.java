package io.taskroutes.provider.tracker;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.taskroutes.command.Json;
import io.taskroutes.command.NormalizedTask;
import io.taskroutes.command.TaskCommand;
import io.taskroutes.command.TaskResult;
import io.taskroutes.errors.TaskException;
import io.taskroutes.provider.HttpResponseView;
import io.taskroutes.provider.ProviderErrors;

/**
 * Tracker answers: an issue, a list of issues with {@code X-Total-Count} / {@code X-Total-Pages} / {@code Link}
 * headers, a comment, or an entity (checklist deletion). Errors are
 * {@code {"errors":{field:msg},"errorMessages":[...],"statusCode":N}}, classified by status (contract §5).
 */
final class TrackerResponses {

    static final int VERSION_LIMITED = 423;
    static final Set<String> CLOSED = Set.of("closed", "resolved");
    private static final Pattern NEXT_LINK = Pattern.compile("<[^>]*>\\s*;\\s*rel\\s*=\\s*\"?next\"?");

    private TrackerResponses() {
    }

    /** A successful answer's body; an error answer is classified and thrown as for any command. */
    static JsonNode body(HttpResponseView response) {
        JsonNode body = response.json();
        if (!response.isSuccess()) {
            throw error(response, body);
        }
        return body;
    }

    static TaskResult toResult(TaskCommand command, HttpResponseView response) {
        JsonNode body = response.json();
        if (!response.isSuccess()) {
            throw error(response, body);
        }
        TaskResult result = TaskResult.of(command).raw(body);
        return switch (command.operation()) {
            case GET, CREATE, UPDATE -> result.task(body.isObject() ? normalize(body) : null);
            case LIST -> {
                List<NormalizedTask> tasks = new ArrayList<>();
                body.forEach(t -> tasks.add(normalize(t)));
                result.page = pageFacts(response);
                yield result.tasks(tasks);
            }
            case CHECKLIST_DELETE -> result.task(body.isObject() ? normalizeEntity(body) : null);
            default -> result;
        };
    }

    /** More pages when {@code X-Total-Pages} says so, or (without it) when a {@code Link rel="next"} is given. */
    static boolean hasNextPage(TaskCommand command, HttpResponseView response, int pagesFetched) {
        Optional<Long> totalPages = number(response, "X-Total-Pages");
        if (totalPages.isPresent()) {
            return TrackerMapper.firstPage(command) + pagesFetched - 1 < totalPages.get();
        }
        return response.header("Link").map(link -> NEXT_LINK.matcher(link).find()).orElse(false);
    }

    private static ObjectNode pageFacts(HttpResponseView response) {
        ObjectNode page = Json.object();
        number(response, "X-Total-Count").ifPresent(n -> page.put("totalCount", n));
        number(response, "X-Total-Pages").ifPresent(n -> page.put("totalPages", n));
        return page.isEmpty() ? null : page;
    }

    private static Optional<Long> number(HttpResponseView response, String header) {
        return response.header(header).flatMap(v -> {
            try {
                return Optional.of(Long.parseLong(v.trim()));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        });
    }

    /** errorMessages and errors (field: message) reach the message; 423 names Tracker's version limits. */
    static TaskException error(HttpResponseView response, JsonNode body) {
        List<String> parts = new ArrayList<>();
        body.path("errorMessages").forEach(m -> parts.add(m.asText()));
        Iterator<Map.Entry<String, JsonNode>> it = body.path("errors").fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            parts.add(e.getKey() + ": " + ProviderErrors.formValue(e.getValue()));
        }
        String detail = parts.isEmpty() ? null : ProviderErrors.snippet(String.join("; ", parts));
        if (response.status() == VERSION_LIMITED) {
            detail = "editing is locked: the object reached its version limit (10100 changes by robots, 11100 by users)"
                    + (detail == null ? "" : " — " + detail);
        }
        TaskException e = ProviderErrors.fromStatus(TrackerProvider.ID, response, detail);
        JsonNode errors = body.path("errors");
        return errors.isObject() && !errors.isEmpty() ? e.withDetails(errors) : e;
    }

    static NormalizedTask normalize(JsonNode t) {
        NormalizedTask task = new NormalizedTask();
        task.id = NormalizedTask.text(t, "key");
        if (task.id == null) {
            task.id = NormalizedTask.text(t, "id");
        }
        task.title = NormalizedTask.text(t, "summary");
        task.text = NormalizedTask.text(t, "description");
        task.status = status(NormalizedTask.text(t.path("status"), "key"));
        task.assignee = NormalizedTask.node(t, "assignee");
        task.author = NormalizedTask.node(t, "createdBy");
        task.createdAt = NormalizedTask.text(t, "createdAt");
        task.updatedAt = NormalizedTask.text(t, "updatedAt");
        task.dueDate = NormalizedTask.text(t, "deadline");
        task.url = NormalizedTask.text(t, "self");
        task.parentId = NormalizedTask.text(t.path("parent"), "key");
        task.raw = t;
        return task;
    }

    /** A project, portfolio or goal as a task: {@code fields.summary} is its title when it was asked for. */
    static NormalizedTask normalizeEntity(JsonNode e) {
        NormalizedTask task = new NormalizedTask();
        task.id = NormalizedTask.text(e, "id");
        task.title = NormalizedTask.text(e.path("fields"), "summary");
        task.text = NormalizedTask.text(e.path("fields"), "description");
        task.status = NormalizedTask.text(e.path("fields"), "entityStatus");
        task.author = NormalizedTask.node(e, "createdBy");
        task.createdAt = NormalizedTask.text(e, "createdAt");
        task.updatedAt = NormalizedTask.text(e, "updatedAt");
        task.url = NormalizedTask.text(e, "self");
        task.raw = e;
        return task;
    }

    /** {@code closed}/{@code resolved} → closed, {@code open} → open, any other key stays Tracker's. */
    static String status(String key) {
        if (key == null) {
            return null;
        }
        return CLOSED.contains(key) ? "closed" : key;
    }
}
