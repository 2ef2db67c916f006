package io.taskroutes.sandbox;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;

/**
 * Worksection in memory ({@code /worksection}): the admin API {@code /api/admin/v2/?action=..&hash=..} with the
 * md5 hash verified exactly, and OAuth {@code /api/oauth2?action=..} with a Bearer token. Business errors are
 * HTTP 200 {@code {"status":"error","status_code":N,"message":..}} (seed 004, PROVIDERS.md); message texts
 * and which code a check gives where the docs only list the codes are guesses.
 *
 * <p>Every change the simulator makes (post_task, update_task, complete_task, reopen_task, post_comment, and
 * {@link #deleteTask(String)} standing in for a deletion in the UI) is recorded as a {@code get_events} item
 * ({@code action}, {@code object{type,id,page}}, {@code date_added} as {@code yyyy-MM-dd HH:mm} UTC,
 * {@code user_from}, {@code new}, {@code old}) and, when the sandbox's webhooks are on, POSTed to
 * {@code <base>/worksection} as a one-item JSON array with HTTP Basic auth
 * ({@link ProviderSandbox#WORKSECTION_WEBHOOK_USER}); only HTTP 200 {@code {"status":"OK"}} counts as delivered,
 * there is no retry, and after 10 errors the webhook is disabled (as Worksection does) until reset.
 */
public final class WorksectionSimulator implements SimulatedProvider {

    public static final String API_KEY = "sandbox-worksection-api-key";
    public static final String TOKEN = "sandbox-worksection-token";

    static final String ID = "worksection";
    static final String CONTEXT = "/worksection";

    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");
    private static final DateTimeFormatter DOTTED = DateTimeFormatter.ofPattern("dd.MM.yyyy");
    private static final ObjectNode NOBODY = SandboxHttp.object().put("id", "1").put("email", "NOONE")
            .put("name", "Executive isn't assigned");
    private static final Map<String, ObjectNode> USERS = Map.of(
            "alice@sandbox.local", person("101", "alice@sandbox.local", "Alice"),
            "bob@sandbox.local", person("102", "bob@sandbox.local", "Bob"));
    private static final Map<String, String> TAGS = Map.of("11", "Release", "12", "Urgent", "13", "Docs");
    private static final Map<String, String> PROJECTS = Map.of(
            WorksectionSeed.PROJECT_ID, "Sandbox project", WorksectionSeed.OTHER_PROJECT_ID, "Finance");
    private static final Set<String> EXTRAS = Set.of("text", "html", "files", "comments", "relations", "subtasks", "archive");
    /** get_events' period: 1m..360m, 1h..72h, 1d..30d. */
    private static final Pattern PERIOD = Pattern.compile("(\\d{1,3})([mhd])");
    /** The account owner: the API key is hers, so she is the one who makes every API change (guess). */
    private static final String OWNER = "alice@sandbox.local";
    /** Task fields an update_task event reports (new and old values). */
    private static final List<String> EVENT_FIELDS = List.of("name", "text", "status", "priority", "user_to",
            "date_start", "date_end", "tags");
    /** Worksection's webhook rules (PROVIDERS.md): 200 {"status":"OK"} within 5 s, no retry, off after 10 errors. */
    static final WebhookSender.Policy WEBHOOK = new WebhookSender.Policy(0, null, Duration.ofSeconds(5), 10,
            (status, body) -> status != 200 ? "HTTP " + status
                    : statusOk(body) ? null : "answer is not {\"status\":\"OK\"}");

    /** One recorded change: when, in which project, and its get_events item. */
    private record Event(Instant at, String projectId, ObjectNode item) {
    }

    /** A business error of the documented list. */
    private static final class ApiError extends RuntimeException {
        final int code;
        final String details;

        ApiError(int code, String message, String details) {
            super(message, null, false, false);
            this.code = code;
            this.details = details;
        }
    }

    // guarded by this
    private final List<ObjectNode> roots = new ArrayList<>();
    private final Map<String, ObjectNode> byId = new LinkedHashMap<>();
    private final Map<String, String> parentOf = new LinkedHashMap<>();
    private final Map<String, List<ObjectNode>> comments = new LinkedHashMap<>();
    private final List<Event> events = new ArrayList<>();
    private int nextId;
    private WebhookSender webhooks;
    private volatile Clock clock = Clock.systemUTC();

    public WorksectionSimulator() {
        reset();
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public void clock(Clock clock) {
        this.clock = clock == null ? Clock.systemUTC() : clock;
    }

    @Override
    public void webhooks(WebhookSender sender) {
        this.webhooks = sender;
    }

    @Override
    public Map<String, Handler> contexts() {
        return Map.of(CONTEXT, this::handle);
    }

    /**
     * Admin API mode (api key), plus the Basic credentials the webhooks carry; a test adds
     * {@code tasks.worksection.token} = {@link #TOKEN} for OAuth mode.
     */
    @Override
    public Map<String, String> clientProperties(String root) {
        return Map.of("tasks.worksection.base-url", root + CONTEXT, "tasks.worksection.api-key", API_KEY,
                "tasks.worksection.events.webhook-user", ProviderSandbox.WORKSECTION_WEBHOOK_USER,
                "tasks.worksection.events.webhook-password", ProviderSandbox.WORKSECTION_WEBHOOK_PASSWORD);
    }

    @Override
    public synchronized void reset() {
        roots.clear();
        byId.clear();
        parentOf.clear();
        comments.clear();
        events.clear();
        nextId = 3000;
        WorksectionSeed.tasks().forEach(t -> {
            roots.add((ObjectNode) t);
            index((ObjectNode) t, null);
        });
    }

    /** The stored task (all fields), for assertions. */
    public synchronized ObjectNode task(String id) {
        ObjectNode task = byId.get(id);
        return task == null ? null : task.deepCopy();
    }

    /** Every recorded change as its get_events item, oldest first (copies). */
    public synchronized List<ObjectNode> events() {
        return events.stream().map(e -> e.item().deepCopy()).toList();
    }

    /**
     * Deletes a task with its subtasks and comments, as someone would in Worksection's UI (the API cannot delete):
     * records a {@code delete} event and sends its webhook. False when there is no such task.
     */
    public synchronized boolean deleteTask(String id) {
        ObjectNode task = byId.get(id);
        if (task == null) {
            return false;
        }
        String parentId = parentOf.get(id);
        if (parentId == null) {
            roots.remove(task);
        } else {
            ArrayNode siblings = (ArrayNode) byId.get(parentId).get("child");
            for (int i = 0; i < siblings.size(); i++) {
                if (siblings.get(i) == task) {
                    siblings.remove(i);
                    break;
                }
            }
        }
        forget(task);
        ObjectNode old = SandboxHttp.object();
        old.set("name", task.get("name"));
        old.set("status", task.get("status"));
        record("delete", "task", id, task, SandboxHttp.object(), old);
        return true;
    }

    private void forget(ObjectNode task) {
        String id = task.get("id").asText();
        byId.remove(id);
        parentOf.remove(id);
        comments.remove(id);
        task.path("child").forEach(c -> forget((ObjectNode) c));
    }

    /** The comments posted to a task, oldest first. */
    public synchronized List<ObjectNode> comments(String taskId) {
        return comments.getOrDefault(taskId, List.of()).stream().map(ObjectNode::deepCopy).toList();
    }

    private void index(ObjectNode task, String parentId) {
        byId.put(task.get("id").asText(), task);
        if (parentId != null) {
            parentOf.put(task.get("id").asText(), parentId);
        }
        task.path("child").forEach(c -> index((ObjectNode) c, task.get("id").asText()));
    }

    void handle(HttpExchange exchange, RecordedRequest request) throws IOException {
        String path = SandboxHttp.subPath(exchange);
        String rawQuery = request.query() == null ? "" : request.query();
        if (path.equals("/api/admin/v2")) {
            if (!validHash(rawQuery)) {
                SandboxHttp.json(exchange, 200, error(2, "Invalid hash", null));
                return;
            }
        } else if (path.equals("/api/oauth2")) {
            String auth = request.header("authorization");
            if (auth == null || !auth.trim().equals("Bearer " + TOKEN)) {
                // guess: the OAuth error shape; PROVIDERS.md only says an expired token gives 401
                SandboxHttp.json(exchange, 401, SandboxHttp.object().put("error", "invalid_token")
                        .put("error_description", "Access token is invalid"));
                return;
            }
        } else {
            SandboxHttp.json(exchange, 404, SandboxHttp.object().put("status", "error").put("message", "Not Found"));
            return;
        }
        Map<String, List<String>> params = parse(rawQuery);
        // POST form fields are accepted too (Worksection reads both); the hash covers the query only
        parse(new String(request.body(), StandardCharsets.UTF_8)).forEach((k, v) -> params.putIfAbsent(k, v));
        ObjectNode answer;
        try {
            answer = dispatch(params);
        } catch (ApiError e) {
            answer = error(e.code, e.getMessage(), e.details);
        }
        SandboxHttp.json(exchange, 200, answer);
    }

    /** {@code hash} must be the last parameter and equal md5(everything before {@code &hash=} + api key). */
    static boolean validHash(String rawQuery) {
        int at = rawQuery.lastIndexOf("&hash=");
        if (at < 0) {
            return false;
        }
        String hash = rawQuery.substring(at + "&hash=".length());
        return hash.equals(md5(rawQuery.substring(0, at) + API_KEY));
    }

    static String md5(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private synchronized ObjectNode dispatch(Map<String, List<String>> params) {
        String action = first(params, "action");
        if (action == null) {
            throw new ApiError(10, "Field is required", "action");
        }
        return switch (action) {
            case "get_all_tasks" -> list(null, params);
            case "get_tasks" -> list(project(required(params, "id_project")), params);
            case "get_task" -> ok(view(existing(required(params, "id_task")), extras(params), false));
            case "post_task" -> ok(view(create(params), Set.of("text", "files", "relations", "subtasks"), false));
            case "update_task" -> ok(view(update(params), Set.of("text", "files", "relations", "subtasks"), false));
            case "complete_task" -> complete(existing(required(params, "id_task")));
            case "reopen_task" -> reopen(existing(required(params, "id_task")));
            case "post_comment" -> comment(existing(required(params, "id_task")), params);
            case "get_comments" -> comments(existing(required(params, "id_task")));
            case "get_events" -> events(params);
            // guess: the code for an unknown action is not in the docs' list
            default -> throw new ApiError(1, "Action is invalid", action);
        };
    }

    private ObjectNode list(String projectId, Map<String, List<String>> params) {
        Set<String> extras = extras(params);
        boolean activeOnly = "active".equals(first(params, "filter"));
        ArrayNode data = SandboxHttp.MAPPER.createArrayNode();
        for (ObjectNode task : roots) {
            if (projectId != null && !projectId.equals(task.path("project").path("id").asText())) {
                continue;
            }
            if (activeOnly && !"active".equals(task.path("status").asText())) {
                continue;
            }
            data.add(view(task, extras, activeOnly));
        }
        return ok(data);
    }

    /** What an answer shows of a stored task: {@code extra} decides about text, files, relations, child, comments. */
    private ObjectNode view(ObjectNode task, Set<String> extras, boolean activeOnly) {
        ObjectNode copy = task.deepCopy();
        if (!extras.contains("text") && !extras.contains("html")) {
            copy.remove("text");
        }
        if (!extras.contains("files")) {
            copy.remove("files");
        }
        if (!extras.contains("relations")) {
            copy.remove("relations");
        }
        copy.remove("child");
        if (extras.contains("subtasks") && task.has("child")) {
            ArrayNode children = copy.putArray("child");
            task.get("child").forEach(c -> {
                if (!activeOnly || "active".equals(c.path("status").asText())) {
                    children.add(view((ObjectNode) c, extras, activeOnly));
                }
            });
        }
        if (extras.contains("comments")) {
            List<ObjectNode> all = comments.getOrDefault(task.get("id").asText(), List.of());
            ArrayNode last = copy.putArray("comments");
            all.subList(Math.max(0, all.size() - 5), all.size()).forEach(c -> last.add(c.deepCopy()));
        }
        return copy;
    }

    private ObjectNode create(Map<String, List<String>> params) {
        String projectId = project(required(params, "id_project"));
        String title = required(params, "title");
        ObjectNode parent = null;
        String parentId = first(params, "id_parent");
        if (parentId != null) {
            parent = existing(parentId);
            if (!projectId.equals(parent.path("project").path("id").asText())) {
                throw new ApiError(5, "Task is invalid", "id_parent");
            }
            if ("done".equals(parent.path("status").asText())) {
                throw new ApiError(14, "Parent task is closed", "id_parent");
            }
        }
        String id = String.valueOf(nextId++);
        ObjectNode task = SandboxHttp.object();
        task.put("id", id);
        task.put("name", title);
        String page = parent == null ? "/project/" + projectId + "/" + id + "/" : parent.get("page").asText() + id + "/";
        task.put("page", page);
        task.put("status", "active");
        task.put("priority", priority(first(params, "priority")));
        String from = first(params, "email_user_from");
        // guess: without email_user_from the author is the account owner
        task.set("user_from", from == null ? USERS.get("alice@sandbox.local") : user(from, "email_user_from"));
        String to = first(params, "email_user_to");
        task.set("user_to", to == null ? NOBODY : user(to, "email_user_to"));
        task.set("project", SandboxHttp.object().put("id", projectId).put("name", PROJECTS.get(projectId))
                .put("page", "/project/" + projectId + "/"));
        String text = first(params, "text");
        if (text != null) {
            task.put("text", text);
        }
        task.put("date_added", now());
        putDate(task, "date_start", params, "datestart");
        putDate(task, "date_end", params, "dateend");
        setTags(task, first(params, "tags"));
        List<String> todo = params.get("todo[]");
        if (todo != null) {
            ArrayNode items = task.putArray("todo"); // guess: how a checklist shows up is not documented
            todo.forEach(items::add);
        }
        if (parent == null) {
            roots.add(task);
        } else {
            (parent.has("child") ? (ArrayNode) parent.get("child") : parent.putArray("child")).add(task);
            parentOf.put(id, parent.get("id").asText());
        }
        byId.put(id, task);
        ObjectNode added = SandboxHttp.object();
        EVENT_FIELDS.forEach(field -> {
            if (task.has(field)) {
                added.set(field, task.get(field).deepCopy());
            }
        });
        record("post", "task", id, task, added, SandboxHttp.object());
        return task;
    }

    private ObjectNode update(Map<String, List<String>> params) {
        ObjectNode task = existing(required(params, "id_task"));
        if ("done".equals(task.path("status").asText())) {
            throw new ApiError(8, "Task is closed", null);
        }
        // validate everything before changing anything
        String to = first(params, "email_user_to");
        JsonNode user = to == null ? null : "NOONE".equals(to) ? NOBODY : user(to, "email_user_to");
        String priority = first(params, "priority") == null ? null : priority(first(params, "priority"));
        ObjectNode scratch = SandboxHttp.object();
        putDate(scratch, "date_start", params, "datestart");
        putDate(scratch, "date_end", params, "dateend");
        setTags(scratch, first(params, "tags"));
        ObjectNode before = task.deepCopy();
        if (first(params, "title") != null) {
            task.put("name", first(params, "title"));
        }
        if (first(params, "text") != null) {
            task.put("text", first(params, "text"));
        }
        if (user != null) {
            task.set("user_to", user);
        }
        if (priority != null) {
            task.put("priority", priority);
        }
        task.setAll(scratch);
        ObjectNode changed = SandboxHttp.object();
        ObjectNode old = SandboxHttp.object();
        for (String field : EVENT_FIELDS) {
            JsonNode was = before.get(field);
            JsonNode now = task.get(field);
            if (now != null && !now.equals(was)) {
                changed.set(field, now.deepCopy());
                old.set(field, was == null ? SandboxHttp.MAPPER.nullNode() : was.deepCopy());
            }
        }
        if (!changed.isEmpty()) {
            record("update", "task", task.get("id").asText(), task, changed, old);
        }
        return task;
    }

    private ObjectNode complete(ObjectNode task) {
        if ("done".equals(task.path("status").asText())) {
            throw new ApiError(12, "Task is already closed", null);
        }
        for (JsonNode child : task.path("child")) {
            if ("active".equals(child.path("status").asText())) {
                throw new ApiError(13, "Task has open subtasks", child.get("id").asText());
            }
        }
        task.put("status", "done");
        task.put("date_closed", now());
        record("close", "task", task.get("id").asText(), task, SandboxHttp.object().put("status", "done"),
                SandboxHttp.object().put("status", "active"));
        return ok(null);
    }

    private ObjectNode reopen(ObjectNode task) {
        if ("active".equals(task.path("status").asText())) {
            throw new ApiError(12, "Task is already active", null);
        }
        String parentId = parentOf.get(task.get("id").asText());
        if (parentId != null && "done".equals(byId.get(parentId).path("status").asText())) {
            throw new ApiError(14, "Parent task is closed", parentId);
        }
        task.put("status", "active");
        task.remove("date_closed");
        record("reopen", "task", task.get("id").asText(), task, SandboxHttp.object().put("status", "active"),
                SandboxHttp.object().put("status", "done"));
        return ok(null);
    }

    private ObjectNode comment(ObjectNode task, Map<String, List<String>> params) {
        String text = first(params, "text");
        List<String> todo = params.get("todo[]");
        if ((text == null || text.isBlank()) && todo == null) {
            throw new ApiError(10, "Field is required", "text");
        }
        String id = String.valueOf(nextId++);
        ObjectNode comment = SandboxHttp.object();
        comment.put("id", id);
        comment.put("page", task.get("page").asText() + "#com" + id);
        comment.put("text", text == null ? "" : text);
        comment.put("date_added", now());
        comment.set("user_from", USERS.get("alice@sandbox.local"));
        comments.computeIfAbsent(task.get("id").asText(), k -> new ArrayList<>()).add(comment);
        record("post", "comment", id, task, SandboxHttp.object().put("text", comment.get("text").asText()),
                SandboxHttp.object());
        // guess: the documented answer shape of post_comment is not in the seed
        return ok(SandboxHttp.object().put("id", id).put("page", comment.get("page").asText()));
    }

    /** The task's comments, oldest first (guess: the answer shape of get_comments is not in the seed). */
    private ObjectNode comments(ObjectNode task) {
        ArrayNode data = SandboxHttp.MAPPER.createArrayNode();
        comments.getOrDefault(task.get("id").asText(), List.of()).forEach(c -> data.add(c.deepCopy()));
        return ok(data);
    }

    /**
     * get_events: the changes whose time is within {@code period} before now ({@code 1m}..{@code 360m},
     * {@code 1h}..{@code 72h}, {@code 1d}..{@code 30d}), of one project when {@code id_project} is given, oldest
     * first. Errors: 10 without or with an invalid period (guess: the code for an invalid value), 4 for an
     * unknown project.
     */
    private ObjectNode events(Map<String, List<String>> params) {
        Duration period = period(required(params, "period"));
        String projectId = first(params, "id_project");
        if (projectId != null && !projectId.isBlank()) {
            projectId = project(projectId.trim());
        } else {
            projectId = null;
        }
        Instant since = clock.instant().minus(period);
        ArrayNode data = SandboxHttp.MAPPER.createArrayNode();
        String project = projectId;
        events.stream().filter(e -> !e.at().isBefore(since))
                .filter(e -> project == null || project.equals(e.projectId()))
                .sorted(Comparator.comparing(Event::at))
                .forEach(e -> data.add(e.item().deepCopy()));
        return ok(data);
    }

    private static Duration period(String value) {
        Matcher m = PERIOD.matcher(value);
        if (m.matches()) {
            int n = Integer.parseInt(m.group(1));
            switch (m.group(2)) {
                case "m":
                    if (n >= 1 && n <= 360) {
                        return Duration.ofMinutes(n);
                    }
                    break;
                case "h":
                    if (n >= 1 && n <= 72) {
                        return Duration.ofHours(n);
                    }
                    break;
                default:
                    if (n >= 1 && n <= 30) {
                        return Duration.ofDays(n);
                    }
            }
        }
        throw new ApiError(10, "Field is invalid", "period");
    }

    /** Records a change as a get_events item and hands its webhook (a one-item array) to the sender. */
    private void record(String action, String type, String objectId, ObjectNode task, ObjectNode changed,
            ObjectNode old) {
        Instant at = clock.instant();
        ObjectNode item = SandboxHttp.object();
        item.put("action", action);
        item.set("object", SandboxHttp.object().put("type", type).put("id", objectId)
                .put("page", task.get("page").asText()));
        item.put("date_added", LocalDateTime.ofInstant(at, ZoneOffset.UTC).format(DATE_TIME));
        item.set("user_from", USERS.get(OWNER).deepCopy());
        item.set("new", changed);
        item.set("old", old);
        events.add(new Event(at, task.path("project").path("id").asText(), item));
        if (webhooks != null && webhooks.enabled()) {
            byte[] body;
            try {
                body = SandboxHttp.MAPPER.writeValueAsBytes(SandboxHttp.MAPPER.createArrayNode().add(item));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
            String credentials = ProviderSandbox.WORKSECTION_WEBHOOK_USER + ":" + ProviderSandbox.WORKSECTION_WEBHOOK_PASSWORD;
            webhooks.send(ID, body, Map.of("Authorization",
                    "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8))), WEBHOOK);
        }
    }

    private static boolean statusOk(String body) {
        try {
            JsonNode answer = SandboxHttp.MAPPER.readTree(body);
            return answer != null && "OK".equals(answer.path("status").asText(null));
        } catch (IOException e) {
            return false;
        }
    }

    private ObjectNode existing(String id) {
        ObjectNode task = byId.get(id);
        if (task == null) {
            throw new ApiError(5, "Task is invalid", "id_task");
        }
        return task;
    }

    private static String project(String id) {
        if (!PROJECTS.containsKey(id)) {
            throw new ApiError(4, "Project is invalid", "id_project");
        }
        return id;
    }

    private static JsonNode user(String email, String field) {
        ObjectNode user = USERS.get(email.trim().toLowerCase(java.util.Locale.ROOT));
        if (user == null) {
            throw new ApiError(11, "Email is invalid", field);
        }
        return user;
    }

    private static String priority(String value) {
        if (value == null) {
            return "0";
        }
        try {
            int p = Integer.parseInt(value.trim());
            if (p >= 0 && p <= 10) {
                return String.valueOf(p);
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new ApiError(10, "Field is invalid", "priority"); // guess: code for an out-of-range value
    }

    /** {@code DD.MM.YYYY} in, {@code YYYY-MM-DD} stored. */
    private static void putDate(ObjectNode task, String field, Map<String, List<String>> params, String param) {
        String value = first(params, param);
        if (value == null) {
            return;
        }
        try {
            task.put(field, LocalDate.parse(value.trim(), DOTTED).toString());
        } catch (DateTimeParseException e) {
            throw new ApiError(10, "Field is invalid", param); // guess
        }
    }

    /** Tags by name or id, comma-separated; an unknown one is error 16. */
    private static void setTags(ObjectNode task, String tags) {
        if (tags == null || tags.isBlank()) {
            return;
        }
        ObjectNode map = SandboxHttp.object();
        for (String tag : tags.split(",")) {
            String t = tag.trim();
            String id = TAGS.containsKey(t) ? t
                    : TAGS.entrySet().stream().filter(e -> e.getValue().equals(t)).map(Map.Entry::getKey).findFirst()
                            .orElseThrow(() -> new ApiError(16, "Tag is invalid", t));
            map.put(id, TAGS.get(id));
        }
        task.set("tags", map);
    }

    private static Set<String> extras(Map<String, List<String>> params) {
        String extra = first(params, "extra");
        if (extra == null || extra.isBlank()) {
            return Set.of();
        }
        Set<String> extras = new java.util.HashSet<>();
        for (String e : extra.split(",")) {
            if (EXTRAS.contains(e.trim())) {
                extras.add(e.trim());
            }
        }
        return extras;
    }

    private static String required(Map<String, List<String>> params, String name) {
        String value = first(params, name);
        if (value == null || value.isBlank()) {
            throw new ApiError(10, "Field is required", name);
        }
        return value.trim();
    }

    private static String first(Map<String, List<String>> params, String name) {
        List<String> values = params.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    static Map<String, List<String>> parse(String query) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        if (query == null || query.isEmpty()) {
            return params;
        }
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            params.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
        return params;
    }

    /** Now in the simulator's time, as Worksection writes dates: {@code yyyy-MM-dd HH:mm} (UTC here). */
    private String now() {
        return LocalDateTime.ofInstant(clock.instant(), ZoneOffset.UTC).format(DATE_TIME);
    }

    private static ObjectNode person(String id, String email, String name) {
        return SandboxHttp.object().put("id", id).put("email", email).put("name", name);
    }

    private static ObjectNode ok(JsonNode data) {
        ObjectNode answer = SandboxHttp.object().put("status", "ok");
        if (data != null) {
            answer.set("data", data);
        }
        return answer;
    }

    static ObjectNode error(int code, String message, String details) {
        ObjectNode answer = SandboxHttp.object().put("status", "error").put("status_code", code).put("message", message);
        if (details != null) {
            answer.put("message_details", details);
        }
        return answer;
    }

    @Override
    public void answerFault(HttpExchange exchange, int status) throws IOException {
        SandboxHttp.json(exchange, status, SandboxHttp.object().put("status", "error").put("message", "Injected fault: HTTP " + status));
    }

    @Override
    public void answerRateLimited(HttpExchange exchange, int retryAfterSeconds) throws IOException {
        // Worksection documents no rate limit; the injected one answers like a proxy in front of it would
        SandboxHttp.json(exchange, 429, SandboxHttp.object().put("status", "error").put("message", "Too Many Requests"),
                Map.of("Retry-After", String.valueOf(retryAfterSeconds)));
    }
}
