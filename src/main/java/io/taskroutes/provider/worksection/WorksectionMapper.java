package io.taskroutes.provider.worksection;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.taskroutes.command.Json;
import io.taskroutes.command.TaskCommand;
import io.taskroutes.errors.ErrorReason;
import io.taskroutes.errors.TaskException;
import io.taskroutes.provider.HttpRequestSpec;
import io.taskroutes.provider.ProviderErrors;

/**
 * Canonical command to a Worksection action (seed 004, PROVIDERS.md). Every call is a GET whose query starts
 * with {@code action}; the path and the signature are the auth strategy's business (admin API or OAuth).
 * {@code native} fields are merged over the canonical parameters; a native array becomes {@code name[]=..}
 * pairs (e.g. {@code todo}), except the comma-separated lists {@code extra}, {@code tags}, {@code subscribe},
 * {@code mention}.
 */
final class WorksectionMapper {

    private static final Set<String> COMMA_LISTS = Set.of("extra", "tags", "subscribe", "mention");
    private static final Set<String> CLOSED = Set.of("closed", "done", "complete", "completed");
    private static final Set<String> OPEN = Set.of("open", "active", "reopen", "reopened");

    private WorksectionMapper() {
    }

    static HttpRequestSpec request(TaskCommand command) {
        ObjectNode params = switch (command.operation()) {
            case LIST -> list(command);
            case GET -> merge(withExtra(action("get_task").put("id_task", command.taskId()), command), command);
            case CREATE -> create(command);
            case UPDATE -> update(command);
            case COMMENT -> comment(command);
            case DELETE -> throw new TaskException(ErrorReason.UNSUPPORTED,
                    "worksection has no task.delete: the Worksection API deliberately cannot delete tasks"
                            + " (close the task with task.update status=closed instead)")
                    .withProvider(command.provider()).withOperation(command.operation().wireName());
            default -> throw new IllegalStateException("worksection has no " + command.operation());
        };
        return get(params);
    }

    /**
     * get_all_tasks, or get_tasks when a project is given ({@code project} or {@code native.id_project}), or the
     * event log (get_events) when {@code native.period} is given (task events poll it);
     * {@code filter.status} open/active becomes {@code filter=active}, other filter keys go out as parameters.
     * Worksection does not paginate: {@code page}, {@code perPage} and {@code sort} have nothing to map to.
     */
    static ObjectNode list(TaskCommand c) {
        if (c.nativeOrEmpty().hasNonNull("period")) {
            // period is get_events' own parameter: the account's event log (what task events poll)
            return merge(action("get_events"), c);
        }
        boolean oneProject = c.project() != null || c.nativeOrEmpty().hasNonNull("id_project");
        ObjectNode params = action(oneProject ? "get_tasks" : "get_all_tasks");
        putText(params, "id_project", c.project());
        withExtra(params, c);
        if (c.filter() != null) {
            ObjectNode filter = c.filter().deepCopy();
            JsonNode status = filter.remove("status");
            if (status != null && !status.isNull()) {
                String value = status.asText().toLowerCase(Locale.ROOT);
                if (!OPEN.contains(value)) {
                    throw invalid(c, "worksection lists can only be filtered to open tasks (filter.status \"active\"),"
                            + " not '" + status.asText() + "'");
                }
                params.put("filter", "active");
            }
            params.setAll(filter);
        }
        return merge(params, c);
    }

    /** post_task: {@code id_project} is required; the assignee is named by e-mail. */
    static ObjectNode create(TaskCommand c) {
        ObjectNode params = action("post_task");
        putText(params, "id_project", c.project());
        putText(params, "id_parent", c.parentTaskId());
        putText(params, "title", c.title());
        putText(params, "text", c.text());
        putText(params, "email_user_to", email(c, c.assignee(), "assignee"));
        if (c.participants() != null && !c.participants().isEmpty()) {
            List<String> emails = new ArrayList<>();
            c.participants().forEach(p -> emails.add(email(c, p, "participants")));
            params.put("subscribe", String.join(",", emails));
        }
        putText(params, "dateend", ddMmYyyy(c.dueDate()));
        merge(params, c);
        if (!params.hasNonNull("id_project") || params.get("id_project").asText().isBlank()) {
            throw invalid(c, "project is required for worksection task.create (sent as id_project)");
        }
        return params;
    }

    /**
     * A status change is its own action (complete_task / reopen_task); field changes are update_task. One command
     * does one of them: a status together with field changes is refused rather than half applied.
     */
    static ObjectNode update(TaskCommand c) {
        ObjectNode fields = Json.object();
        putText(fields, "title", c.title());
        putText(fields, "text", c.text());
        putText(fields, "email_user_to", email(c, c.assignee(), "assignee"));
        putText(fields, "dateend", ddMmYyyy(c.dueDate()));
        if (c.status() != null) {
            if (!fields.isEmpty() || !c.nativeOrEmpty().isEmpty()) {
                throw invalid(c, "worksection changes a task's status (complete_task/reopen_task) and its fields"
                        + " (update_task) with separate actions: send the status in a task.update of its own");
            }
            String status = c.status().toLowerCase(Locale.ROOT);
            if (CLOSED.contains(status)) {
                return action("complete_task").put("id_task", c.taskId());
            }
            if (OPEN.contains(status)) {
                return action("reopen_task").put("id_task", c.taskId());
            }
            throw invalid(c, "worksection status must be open or closed, not '" + c.status() + "'");
        }
        ObjectNode params = action("update_task").put("id_task", c.taskId());
        params.setAll(fields);
        merge(params, c);
        if (params.size() <= 2) {
            throw invalid(c, "nothing to update: give title, text, assignee, dueDate, status or native fields");
        }
        return params;
    }

    static ObjectNode comment(TaskCommand c) {
        if (c.action() != null || c.assignee() != null) {
            throw invalid(c, "worksection comments cannot close, reopen or reassign: use task.update");
        }
        ObjectNode params = action("post_comment").put("id_task", c.taskId());
        putText(params, "text", c.text() != null ? c.text() : c.formattedText());
        merge(params, c);
        if (params.size() <= 2) {
            throw invalid(c, "a worksection comment needs text (or native todo)");
        }
        return params;
    }

    /** get_comments of the command's task (the effect check of a comment in doubt). */
    static HttpRequestSpec comments(TaskCommand c) {
        return get(action("get_comments").put("id_task", c.taskId()));
    }

    /** {@code include} → {@code extra=text,files,...}, comma-joined. */
    private static ObjectNode withExtra(ObjectNode params, TaskCommand c) {
        if (c.include() != null && !c.include().isEmpty()) {
            params.put("extra", String.join(",", c.include()));
        }
        return params;
    }

    private static ObjectNode merge(ObjectNode params, TaskCommand c) {
        ObjectNode nativeFields = c.nativeOrEmpty().deepCopy();
        nativeFields.remove("action"); // the action is chosen by the operation, not by the caller
        return ProviderErrors.mergeNative(params, nativeFields);
    }

    private static HttpRequestSpec get(ObjectNode params) {
        HttpRequestSpec.Builder request = HttpRequestSpec.of("GET");
        Iterator<Map.Entry<String, JsonNode>> it = params.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String name = e.getKey();
            JsonNode value = e.getValue();
            if (value == null || value.isNull()) {
                continue;
            }
            if (value.isArray()) {
                if (COMMA_LISTS.contains(name)) {
                    List<String> items = new ArrayList<>();
                    value.forEach(v -> items.add(ProviderErrors.formValue(v)));
                    request.query(name, String.join(",", items));
                } else {
                    String arrayName = name.endsWith("[]") ? name : name + "[]";
                    value.forEach(v -> request.query(arrayName, ProviderErrors.formValue(v)));
                }
            } else {
                request.query(name, ProviderErrors.formValue(value));
            }
        }
        return request.build();
    }

    private static ObjectNode action(String action) {
        return Json.object().put("action", action);
    }

    private static String email(TaskCommand c, ObjectNode person, String field) {
        if (person == null) {
            return null;
        }
        JsonNode email = person.get("email");
        if (email == null || !email.isTextual() || email.asText().isBlank()) {
            throw invalid(c, "worksection names people by e-mail: " + field + " needs \"email\"");
        }
        return email.asText();
    }

    /** Canonical {@code YYYY-MM-DD} to Worksection's {@code DD.MM.YYYY}. */
    static String ddMmYyyy(String isoDate) {
        if (isoDate == null) {
            return null;
        }
        return isoDate.substring(8, 10) + "." + isoDate.substring(5, 7) + "." + isoDate.substring(0, 4);
    }

    private static void putText(ObjectNode params, String name, String value) {
        if (value != null) {
            params.put(name, value);
        }
    }

    private static TaskException invalid(TaskCommand c, String message) {
        return new TaskException(ErrorReason.INVALID, message).withProvider(c.provider()).withOperation(c.operation().wireName());
    }
}
