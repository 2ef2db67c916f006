package io.taskroutes.provider.tracker;

import java.util.Iterator;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.taskroutes.command.Json;
import io.taskroutes.command.TaskCommand;
import io.taskroutes.errors.ErrorReason;
import io.taskroutes.errors.TaskException;
import io.taskroutes.provider.HttpRequestSpec;
import io.taskroutes.provider.ProviderErrors;

/**
 * Canonical command to a Tracker API v3 request (seed 002, PROVIDERS.md). {@code native} fields go where the
 * operation's parameters live: the JSON body for create, update, comment and search, the query for get and
 * checklist deletion; for search, the documented query parameters ({@link #SEARCH_QUERY}) go to the query.
 */
final class TrackerMapper {

    static final Set<String> ENTITY_TYPES = Set.of("project", "portfolio", "goal");
    /** _search parameters that Tracker reads from the query string, not the body. */
    static final Set<String> SEARCH_QUERY = Set.of("page", "perPage", "expand", "scrollType", "perScroll",
            "scrollTTLMillis", "scrollId");

    private TrackerMapper() {
    }

    static HttpRequestSpec request(TaskCommand command) {
        return switch (command.operation()) {
            case GET -> withQuery(issue("GET", command).query("expand", expand(command)), command.nativeOrEmpty()).build();
            case CREATE -> HttpRequestSpec.of("POST").path("/v3/issues/").jsonBody(createBody(command)).build();
            case UPDATE -> update(command);
            case COMMENT -> issue("POST", command).path("/comments").jsonBody(commentBody(command)).build();
            case LIST -> listPage(command, command.page());
            case CHECKLIST_DELETE -> checklistDelete(command);
            default -> throw new IllegalStateException("yandex-tracker has no " + command.operation());
        };
    }

    private static HttpRequestSpec.Builder issue(String method, TaskCommand c) {
        return HttpRequestSpec.of(method).path("/v3/issues").segment(c.taskId());
    }

    /** POST /v3/issues/: the queue comes from {@code project} (or {@code native.queue}). */
    static ObjectNode createBody(TaskCommand c) {
        ObjectNode body = Json.object();
        putText(body, "queue", c.project());
        putText(body, "summary", c.title());
        putText(body, "description", c.text());
        putText(body, "parent", c.parentTaskId());
        putPerson(body, "assignee", c.assignee());
        if (c.participants() != null && !c.participants().isEmpty()) {
            ArrayNode followers = body.putArray("followers");
            c.participants().forEach(p -> followers.add(person(p)));
        }
        putText(body, "deadline", c.dueDate());
        // Tracker's own idempotency key: a second create with it is answered 409, and _search finds the first
        putText(body, "unique", c.id());
        ProviderErrors.mergeNative(body, c.nativeFields());
        if (!body.hasNonNull("queue")) {
            throw invalid(c, "a yandex-tracker issue needs a queue: give project (the queue key) or native.queue");
        }
        if (!body.hasNonNull("summary")) {
            throw invalid(c, "a yandex-tracker issue needs a title (sent as summary)");
        }
        return body;
    }

    /** The {@code unique} value a create sends: the command id, unless {@code native.unique} gives another. */
    static String unique(TaskCommand c) {
        return c.nativeOrEmpty().hasNonNull("unique") ? c.nativeOrEmpty().get("unique").asText() : c.id();
    }

    /** POST /v3/issues/_search for the issue created with {@link #unique}. */
    static HttpRequestSpec searchUnique(TaskCommand c) {
        ObjectNode body = Json.object();
        body.putObject("filter").put("unique", unique(c));
        return HttpRequestSpec.of("POST").path("/v3/issues/_search").jsonBody(body).build();
    }

    /** GET /v3/issues/{key}/comments. */
    static HttpRequestSpec comments(TaskCommand c) {
        return issue("GET", c).path("/comments").build();
    }

    /** {@code native.version} is Tracker's optimistic lock, a query parameter: a stale one is answered 409. */
    private static HttpRequestSpec update(TaskCommand c) {
        ObjectNode body = updateBody(c);
        JsonNode version = body.remove("version");
        return issue("PATCH", c).query("version", version == null || version.isNull() ? null : version.asText())
                .jsonBody(body).build();
    }

    /**
     * PATCH /v3/issues/{key}. Tracker changes an issue's status only through a workflow transition
     * (POST /v3/issues/{key}/transitions/{id}/_execute), which this bundle does not call: a canonical
     * {@code status} is refused by name; whatever {@code native} holds is sent as is.
     */
    static ObjectNode updateBody(TaskCommand c) {
        if (c.status() != null) {
            throw invalid(c, "yandex-tracker changes a status only through a workflow transition"
                    + " (/v3/issues/{key}/transitions/{id}/_execute), which task.update does not call;"
                    + " send the field change you need in native instead");
        }
        ObjectNode body = Json.object();
        putText(body, "summary", c.title());
        putText(body, "description", c.text());
        putPerson(body, "assignee", c.assignee());
        putText(body, "deadline", c.dueDate());
        ProviderErrors.mergeNative(body, c.nativeFields());
        if (body.isEmpty() || body.size() == 1 && body.has("version")) {
            throw invalid(c, "nothing to update: give title, text, assignee, dueDate or native fields");
        }
        return body;
    }

    static ObjectNode commentBody(TaskCommand c) {
        if (c.action() != null) {
            throw invalid(c, "yandex-tracker comments cannot close or reopen an issue (that is a workflow transition)");
        }
        if (c.assignee() != null) {
            // reassigning is a field change in Tracker (PATCH), not part of a comment
            throw invalid(c, "yandex-tracker comments cannot reassign: use task.update with assignee");
        }
        ObjectNode body = Json.object();
        putText(body, "text", c.text() != null ? c.text() : c.formattedText());
        ProviderErrors.mergeNative(body, c.nativeFields());
        if (!body.hasNonNull("text")) {
            throw invalid(c, "a yandex-tracker comment needs text");
        }
        return body;
    }

    /**
     * POST /v3/issues/_search?page=&perPage=: {@code filter} as Tracker's filter object ({@code project} fills in
     * {@code filter.queue}), {@code sort} as {@code order} ({@code -field} descending, else {@code +field}),
     * {@code native} (e.g. {@code query}, {@code keys}, {@code queue}) merged over the body.
     */
    static HttpRequestSpec listPage(TaskCommand c, Integer page) {
        ObjectNode body = Json.object();
        ObjectNode filter = c.filter() == null ? Json.object() : c.filter().deepCopy();
        if (c.project() != null && !filter.has("queue")) {
            filter.put("queue", c.project());
        }
        if (!filter.isEmpty()) {
            body.set("filter", filter);
        }
        if (c.sort() != null && !c.sort().isBlank()) {
            body.put("order", c.sort().startsWith("-") || c.sort().startsWith("+") ? c.sort() : "+" + c.sort());
        }
        ObjectNode query = Json.object();
        if (page != null) {
            query.put("page", page);
        }
        if (c.perPage() != null) {
            query.put("perPage", c.perPage());
        }
        putText(query, "expand", expand(c));
        Iterator<Map.Entry<String, JsonNode>> it = c.nativeOrEmpty().fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            (SEARCH_QUERY.contains(e.getKey()) ? query : body).set(e.getKey(), e.getValue());
        }
        if (page != null && page > 1) {
            query.put("page", page); // a next page of an allPages walk: ours, not native's
        }
        return withQuery(HttpRequestSpec.of("POST").path("/v3/issues/_search"), query).jsonBody(body).build();
    }

    /** The page an allPages walk starts at. */
    static int firstPage(TaskCommand c) {
        JsonNode nativePage = c.nativeOrEmpty().get("page");
        if (c.page() != null) {
            return nativePage != null && nativePage.canConvertToInt() ? nativePage.asInt() : c.page();
        }
        return nativePage != null && nativePage.canConvertToInt() ? nativePage.asInt() : 1;
    }

    /** DELETE /v3/entities/{type}/{id}/checklistItems?notify=&notifyAuthor=&fields=&expand= (seed 002). */
    static HttpRequestSpec checklistDelete(TaskCommand c) {
        if (!ENTITY_TYPES.contains(c.entityType())) {
            throw invalid(c, "entityType must be project, portfolio or goal for yandex-tracker, not '" + c.entityType() + "'");
        }
        ObjectNode query = Json.object();
        if (c.notifyParticipants() != null) {
            query.put("notify", c.notifyParticipants());
        }
        if (c.notifyAuthor() != null) {
            query.put("notifyAuthor", c.notifyAuthor());
        }
        ProviderErrors.mergeNative(query, c.nativeFields());
        HttpRequestSpec.Builder request = HttpRequestSpec.of("DELETE").path("/v3/entities")
                .segment(c.entityType()).segment(c.entityId()).path("/checklistItems");
        return withQuery(request, query).build();
    }

    /** {@code include} (e.g. transitions, attachments) as Tracker's comma-separated {@code expand}. */
    private static String expand(TaskCommand c) {
        return c.include() == null || c.include().isEmpty() ? null : String.join(",", c.include());
    }

    private static HttpRequestSpec.Builder withQuery(HttpRequestSpec.Builder request, ObjectNode query) {
        Iterator<Map.Entry<String, JsonNode>> it = query.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getValue() == null || e.getValue().isNull()) {
                continue;
            }
            if (e.getValue().isArray()) {
                StringBuilder joined = new StringBuilder();
                e.getValue().forEach(v -> joined.append(joined.length() == 0 ? "" : ",").append(ProviderErrors.formValue(v)));
                request.query(e.getKey(), joined.toString());
            } else {
                request.query(e.getKey(), ProviderErrors.formValue(e.getValue()));
            }
        }
        return request;
    }

    /**
     * A person as Tracker's user field value: {@code id} (a uid or a login) as given, else {@code email}
     * (guess: Tracker resolves organization users by e-mail as it does by login).
     */
    static JsonNode person(ObjectNode person) {
        return person.hasNonNull("id") ? person.get("id") : person.get("email");
    }

    private static void putPerson(ObjectNode body, String name, ObjectNode person) {
        if (person != null) {
            body.set(name, person(person));
        }
    }

    private static void putText(ObjectNode body, String name, String value) {
        if (value != null) {
            body.put(name, value);
        }
    }

    private static TaskException invalid(TaskCommand c, String message) {
        return new TaskException(ErrorReason.INVALID, message).withProvider(c.provider()).withOperation(c.operation().wireName());
    }
}
