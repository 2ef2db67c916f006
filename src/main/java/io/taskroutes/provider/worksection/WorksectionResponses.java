package io.taskroutes.provider.worksection;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import io.taskroutes.command.NormalizedTask;
import io.taskroutes.command.TaskCommand;
import io.taskroutes.command.TaskResult;
import io.taskroutes.errors.ErrorReason;
import io.taskroutes.errors.TaskException;
import io.taskroutes.provider.HttpResponseView;
import io.taskroutes.provider.ProviderErrors;

/**
 * Worksection answers HTTP 200 for business errors: {@code {"status":"error","status_code":N,"message":..,
 * "message_details":..}}. Code 2 (bad or missing hash) is {@code unauthorized}, every other code
 * {@code rejected}. Lists are flattened: subtasks ({@code child}, at any depth) follow their parent in
 * {@code tasks} with {@code parentId} set, and each parent's {@code raw} still holds its {@code child} array.
 */
final class WorksectionResponses {

    /** Bad or missing hash. */
    static final int CODE_BAD_HASH = 2;
    /** "already closed" / "already active": complete_task or reopen_task on a task in that state already. */
    static final int CODE_ALREADY_IN_STATE = 12;
    /** The e-mail Worksection puts into {@code user_to} when nobody is assigned. */
    static final String NOBODY = "NOONE";

    private static final Pattern DATE_TIME = Pattern.compile("(\\d{4}-\\d{2}-\\d{2}) (\\d{2}:\\d{2}(?::\\d{2})?)");
    private static final Pattern DOTTED = Pattern.compile("(\\d{2})\\.(\\d{2})\\.(\\d{4})");

    private WorksectionResponses() {
    }

    static TaskResult toResult(TaskCommand command, HttpResponseView response, String baseUrl) {
        JsonNode body = okBody(response);
        TaskResult result = TaskResult.of(command).raw(body);
        JsonNode data = body.path("data");
        return switch (command.operation()) {
            case LIST -> {
                List<NormalizedTask> tasks = new ArrayList<>();
                data.forEach(t -> flatten(t, null, baseUrl, tasks));
                yield result.tasks(tasks);
            }
            case GET, CREATE, UPDATE -> result.task(createdOrReturned(body, data, baseUrl));
            default -> result;
        };
    }

    /** The {@code data} of an answer with status ok; any other answer is classified and thrown. */
    static JsonNode data(HttpResponseView response) {
        return okBody(response).path("data");
    }

    private static JsonNode okBody(HttpResponseView response) {
        JsonNode body = response.json();
        if (!response.isSuccess()) {
            throw ProviderErrors.fromStatus(WorksectionProvider.ID, response, message(body));
        }
        if (!body.isObject()) {
            throw ProviderErrors.rejected(WorksectionProvider.ID, response,
                    "answer is not a JSON object: " + ProviderErrors.snippet(response.bodyText()));
        }
        if (!"ok".equals(NormalizedTask.text(body, "status"))) {
            throw error(response, body);
        }
        return body;
    }

    /** A task object in {@code data}, or (some creates) just {@code "id"} beside the status. */
    private static NormalizedTask createdOrReturned(JsonNode body, JsonNode data, String baseUrl) {
        if (data.isObject() && data.has("id")) {
            return normalize(data, null, baseUrl);
        }
        if (body.hasNonNull("id")) {
            NormalizedTask task = new NormalizedTask();
            task.id = body.get("id").asText();
            return task;
        }
        return null;
    }

    /** Whether the failure is Worksection's error {@code code} (the code leads the message). */
    static boolean isError(TaskException failure, int code) {
        return failure.getMessage() != null && failure.getMessage().contains(": error " + code + ":");
    }

    private static TaskException error(HttpResponseView response, JsonNode body) {
        int code = body.path("status_code").asInt(-1);
        String text = message(body);
        String message = "error" + (code >= 0 ? " " + code : "") + ": " + (text == null ? "without a message" : text);
        JsonNode details = NormalizedTask.node(body, "message_details");
        if (details != null) {
            message += " (" + ProviderErrors.snippet(ProviderErrors.formValue(details)) + ")";
        }
        TaskException e = code == CODE_BAD_HASH
                ? new TaskException(ErrorReason.UNAUTHORIZED, WorksectionProvider.ID + ": " + message).withHttpStatus(response.status())
                : ProviderErrors.rejected(WorksectionProvider.ID, response, message);
        return details == null ? e : e.withDetails(details);
    }

    private static String message(JsonNode body) {
        String message = NormalizedTask.text(body, "message");
        return message != null ? message : NormalizedTask.text(body, "error_description");
    }

    static void flatten(JsonNode t, String parentId, String baseUrl, List<NormalizedTask> into) {
        NormalizedTask task = normalize(t, parentId, baseUrl);
        into.add(task);
        t.path("child").forEach(child -> flatten(child, task.id, baseUrl, into));
    }

    static NormalizedTask normalize(JsonNode t, String parentId, String baseUrl) {
        NormalizedTask task = new NormalizedTask();
        task.id = NormalizedTask.text(t, "id");
        task.title = NormalizedTask.text(t, "name");
        task.text = NormalizedTask.text(t, "text");
        task.status = status(NormalizedTask.text(t, "status"));
        task.author = person(NormalizedTask.node(t, "user_from"));
        task.assignee = person(NormalizedTask.node(t, "user_to"));
        task.createdAt = isoDate(NormalizedTask.text(t, "date_added"));
        task.dueDate = isoDate(NormalizedTask.text(t, "date_end"));
        String page = NormalizedTask.text(t, "page");
        task.url = page == null ? null : page.startsWith("/") ? baseUrl + page : page;
        task.parentId = parentId != null ? parentId : parentFromPage(page);
        task.raw = t;
        return task;
    }

    /** active/done → open/closed; anything else stays the provider's value. */
    static String status(String status) {
        if ("active".equals(status)) {
            return "open";
        }
        return "done".equals(status) ? "closed" : status;
    }

    /** {@code NOONE} ("Executive isn't assigned") means nobody. */
    private static JsonNode person(JsonNode person) {
        if (person == null || NOBODY.equalsIgnoreCase(NormalizedTask.text(person, "email"))) {
            return null;
        }
        return person;
    }

    /** A subtask's page is {@code /project/P/PARENT/ID/}: the segment before its own id is the parent. */
    static String parentFromPage(String page) {
        if (page == null) {
            return null;
        }
        String[] segments = page.replaceAll("^/+|/+$", "").split("/");
        return segments.length >= 4 && segments[0].equals("project") ? segments[segments.length - 2] : null;
    }

    /**
     * {@code YYYY-MM-DD HH:II} → {@code YYYY-MM-DDTHH:II} (ISO local time: Worksection gives no zone, it is
     * the account's), {@code DD.MM.YYYY} → {@code YYYY-MM-DD}; other shapes stay as they are.
     */
    static String isoDate(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.trim();
        Matcher m = DATE_TIME.matcher(v);
        if (m.matches()) {
            return m.group(1) + "T" + m.group(2);
        }
        m = DOTTED.matcher(v);
        if (m.matches()) {
            return m.group(3) + "-" + m.group(2) + "-" + m.group(1);
        }
        return v;
    }
}
