package io.taskroutes.sandbox;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;

/**
 * Yandex Tracker API v3 in memory ({@code /tracker}): issues of queue {@code TEST}, comments, {@code _search}
 * with page headers, and projects / portfolios / goals with checklists (seed 002, PROVIDERS.md). Errors use
 * Tracker's body {@code {"errors":{..},"errorMessages":[..],"statusCode":N}}. Every write raises an object's
 * {@code version}; past {@link #versionLimit(int)} it answers 423. Texts of messages are guesses.
 *
 * <p>Polling: {@code POST /v3/issues/_search} with {@code {"query": "Updated: >= \"YYYY-MM-DD HH:mm:ss\" \"Sort By\":
 * Updated ASC"}} (dates of the query language in UTC here; also {@code >}, {@code <}, {@code <=}, {@code Created},
 * {@code now()-12h}, {@code "Sort By": Created|Key ASC|DESC}; other terms are ignored), or {@code filter} with
 * {@code order} ({@code +updatedAt}). {@code updatedAt} ({@code yyyy-MM-dd'T'HH:mm:ss.SSS+0000}) changes on every
 * change of an issue, a comment and a transition included, and never repeats a value for an issue (a change within
 * the same millisecond moves it one millisecond on).
 *
 * <p>Webhooks (when the sandbox's are on): a trigger's HTTP action on every issue change, POST
 * {@code <base>/yandex-tracker} with {@code {"key":"TEST-1","event":"IssueCreated|IssueUpdated|IssueWorkflow|
 * IssueCommentAdded"}} and HTTP Basic auth ({@link ProviderSandbox#TRACKER_WEBHOOK_USER}); no retry.
 */
public final class TrackerSimulator implements SimulatedProvider {

    public static final String TOKEN = "sandbox-yandex-tracker-token";
    public static final String IAM_TOKEN = "sandbox-yandex-tracker-iam-token";
    public static final String ORG_ID = "7654321";
    public static final String CLOUD_ORG_ID = "bpf-sandbox-cloud-org";
    public static final String QUEUE = "TEST";
    public static final String PROJECT_ID = "6586d6fee2b9ef74a1b2c3d4";

    static final String ID = "yandex-tracker";
    static final String CONTEXT = "/tracker";
    /** Tracker's documented limit for users (robots: 10100). */
    static final int DEFAULT_VERSION_LIMIT = 11100;

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ");
    private static final Set<String> ENTITY_TYPES = Set.of("project", "portfolio", "goal");
    /** A date condition of the query language: {@code Updated: >= "2024-05-21 08:00:00"}, {@code Created: <now()-1h}. */
    private static final Pattern QUERY_DATE = Pattern.compile(
            "(?i)\\b(updated|created)\\s*:\\s*(>=|<=|>|<)?\\s*(?:\"([^\"]*)\"|(now\\(\\)(?:\\s*[-+]\\s*\\d+\\s*[smhdw])?)|(\\d{4}-\\d{2}-\\d{2}))");
    private static final Pattern QUERY_SORT = Pattern.compile(
            "(?i)\"sort by\"\\s*:\\s*(updated|created|key)(?:\\s+(asc|desc))?");
    private static final Pattern RELATIVE = Pattern.compile("(?i)now\\(\\)(?:\\s*([-+])\\s*(\\d+)\\s*([smhdw]))?");
    private static final DateTimeFormatter QUERY_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm[:ss]");
    /** Workflow transitions by current status: transition id -> target status (guess: a simple workflow). */
    private static final Map<String, Map<String, String>> TRANSITIONS = Map.of(
            "open", Map.of("start_progress", "inProgress", "resolve", "resolved", "close", "closed"),
            "inProgress", Map.of("stop_progress", "open", "resolve", "resolved", "close", "closed"),
            "resolved", Map.of("reopen", "open", "close", "closed"),
            "closed", Map.of("reopen", "open"));
    /** A trigger's webhook action: any 2xx, no retry (guess: Tracker documents no retry for triggers). */
    static final WebhookSender.Policy WEBHOOK = new WebhookSender.Policy(0, null, Duration.ofSeconds(10), 0,
            WebhookSender.Acceptance.ANY_2XX);
    private static final Map<String, String[]> USERS = Map.of(
            "alice", new String[] {"1120000000000001", "Alice Smith"},
            "bob", new String[] {"1120000000000002", "Bob Jones"});

    /** A Tracker error answer. */
    private static final class ApiError extends RuntimeException {
        final int status;
        final ObjectNode errors;

        ApiError(int status, String message, ObjectNode errors) {
            super(message, null, false, false);
            this.status = status;
            this.errors = errors;
        }

        ApiError(int status, String message) {
            this(status, message, null);
        }
    }

    private String root = "";
    private volatile Clock clock = Clock.systemUTC();
    private WebhookSender webhooks;
    // guarded by this; insertion order = creation order
    private final Map<String, ObjectNode> issues = new LinkedHashMap<>();
    private final Map<String, List<ObjectNode>> comments = new LinkedHashMap<>();
    private final Map<String, ObjectNode> entities = new LinkedHashMap<>();
    private int nextIssue;
    private int nextComment;
    private int versionLimit;

    public TrackerSimulator() {
        reset();
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public synchronized void attach(String root) {
        this.root = root;
        reset(); // the seeded issues' self links point at the sandbox
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
     * OAuth token and a Yandex 360 organization, plus the Basic credentials of the trigger's webhook; tests switch to
     * Bearer / cloud-org-id themselves.
     */
    @Override
    public Map<String, String> clientProperties(String root) {
        return Map.of("tasks.yandex-tracker.base-url", root + CONTEXT,
                "tasks.yandex-tracker.token", TOKEN,
                "tasks.yandex-tracker.org-id", ORG_ID,
                "tasks.yandex-tracker.events.webhook-user", ProviderSandbox.TRACKER_WEBHOOK_USER,
                "tasks.yandex-tracker.events.webhook-password", ProviderSandbox.TRACKER_WEBHOOK_PASSWORD);
    }

    /** Seeds TEST-1..TEST-5 (TEST-2 closed, TEST-3 a subtask of TEST-1), a project, a portfolio and a goal. */
    @Override
    public synchronized void reset() {
        issues.clear();
        comments.clear();
        entities.clear();
        nextIssue = 1;
        nextComment = 100;
        versionLimit = DEFAULT_VERSION_LIMIT;
        seedIssue("Prepare the release", "Notes and packages", "open", "alice", null, "2024-06-30");
        seedIssue("Old bug", "Fixed long ago", "closed", "bob", null, null);
        seedIssue("Build packages", null, "inProgress", "bob", "TEST-1", null);
        seedIssue("Write docs", "User guide", "open", null, null, null);
        seedIssue("Fixed in review", null, "resolved", "alice", null, null);
        seedEntity("project", PROJECT_ID, 1, "Website relaunch");
        seedEntity("portfolio", "6586d6fee2b9ef74a1b2c3d5", 2, "Marketing");
        seedEntity("goal", "6586d6fee2b9ef74a1b2c3d6", 3, "Grow sign-ups");
    }

    /** Writes past this version are refused with 423 (Tracker: 10100 for robots, 11100 for users). */
    public synchronized void versionLimit(int limit) {
        this.versionLimit = limit;
    }

    /** The stored issue, for assertions. */
    public synchronized ObjectNode issue(String key) {
        ObjectNode issue = issues.get(key);
        return issue == null ? null : issue.deepCopy();
    }

    /** Every issue, in creation order (copies). */
    public synchronized List<ObjectNode> issues() {
        return issues.values().stream().map(ObjectNode::deepCopy).toList();
    }

    public synchronized List<ObjectNode> comments(String key) {
        return comments.getOrDefault(key, List.of()).stream().map(ObjectNode::deepCopy).toList();
    }

    /** The stored entity with its checklist items, for assertions. */
    public synchronized ObjectNode entity(String id) {
        ObjectNode entity = entities.get(id);
        return entity == null ? null : entity.deepCopy();
    }

    private void seedIssue(String summary, String description, String status, String assignee, String parent, String deadline) {
        String key = QUEUE + "-" + nextIssue++;
        ObjectNode issue = SandboxHttp.object();
        issue.put("self", root + CONTEXT + "/v3/issues/" + key);
        issue.put("id", "5f6a7b8c9d0e1f2a3b4c5d" + String.format("%02d", nextIssue));
        issue.put("key", key);
        issue.put("version", 1);
        issue.put("summary", summary);
        if (description != null) {
            issue.put("description", description);
        }
        issue.set("status", status(status));
        issue.set("queue", SandboxHttp.object().put("self", root + CONTEXT + "/v3/queues/" + QUEUE).put("id", "1")
                .put("key", QUEUE).put("display", "Test queue"));
        if (assignee != null) {
            issue.set("assignee", user(assignee));
        }
        if (parent != null) {
            issue.set("parent", SandboxHttp.object().put("self", root + CONTEXT + "/v3/issues/" + parent)
                    .put("id", issues.get(parent).get("id").asText()).put("key", parent).put("display", issues.get(parent).get("summary").asText()));
        }
        if (deadline != null) {
            issue.put("deadline", deadline);
        }
        issue.set("createdBy", user("alice"));
        issue.put("createdAt", "2024-05-20T10:15:00.000+0000");
        issue.put("updatedAt", "2024-05-21T08:00:00.000+0000");
        issues.put(key, issue);
    }

    private void seedEntity(String type, String id, int shortId, String summary) {
        ObjectNode entity = SandboxHttp.object();
        entity.put("self", root + CONTEXT + "/v3/entities/" + type + "/" + id);
        entity.put("id", id);
        entity.put("version", 133);
        entity.put("shortId", shortId);
        entity.put("entityType", type);
        entity.set("createdBy", user("alice"));
        entity.put("createdAt", "2023-12-13T15:06:27.231Z");
        entity.put("updatedAt", "2023-12-13T15:06:27.231Z");
        entity.set("fields", SandboxHttp.object().put("summary", summary).put("entityStatus", "in_progress"));
        ArrayNode items = entity.putArray("checklistItems");
        items.add(SandboxHttp.object().put("id", id + "-1").put("text", "First step").put("checked", true));
        items.add(SandboxHttp.object().put("id", id + "-2").put("text", "Second step").put("checked", false));
        entities.put(id, entity);
    }

    private ObjectNode user(String login) {
        String[] u = USERS.get(login);
        return SandboxHttp.object().put("self", root + CONTEXT + "/v3/users/" + u[0]).put("id", u[0])
                .put("display", u[1]).put("passportUid", Long.parseLong(u[0]));
    }

    void handle(HttpExchange exchange, RecordedRequest request) throws IOException {
        try {
            authorize(request);
            Answer answer = dispatch(request, SandboxHttp.subPath(exchange));
            SandboxHttp.json(exchange, answer.status, answer.body, answer.headers);
        } catch (ApiError e) {
            SandboxHttp.json(exchange, e.status, errorBody(e.status, e.getMessage(), e.errors));
        }
    }

    private record Answer(int status, JsonNode body, Map<String, String> headers) {
        Answer(int status, JsonNode body) {
            this(status, body, Map.of());
        }
    }

    /**
     * guess: Tracker's answer to a missing organization header (or both headers) is not documented; a 401 like a
     * missing token seems likeliest. A wrong organization id is a 403 (the token has no access to it).
     */
    private static void authorize(RecordedRequest request) {
        String auth = request.header("authorization");
        String org = request.header("x-org-id");
        String cloudOrg = request.header("x-cloud-org-id");
        if (auth == null || !(auth.trim().equals("OAuth " + TOKEN) || auth.trim().equals("Bearer " + IAM_TOKEN))) {
            throw new ApiError(401, "Not authorized: the token is missing, expired or invalid");
        }
        if ((org == null) == (cloudOrg == null)) {
            throw new ApiError(401, "Give exactly one of the headers X-Org-ID or X-Cloud-Org-ID");
        }
        boolean iam = auth.trim().startsWith("Bearer ");
        if (org != null && (iam || !org.trim().equals(ORG_ID))) {
            throw new ApiError(403, "You have no access to organization " + org.trim());
        }
        if (cloudOrg != null && !cloudOrg.trim().equals(CLOUD_ORG_ID)) {
            throw new ApiError(403, "You have no access to organization " + cloudOrg.trim());
        }
    }

    private synchronized Answer dispatch(RecordedRequest request, String path) {
        Map<String, String> query = parse(request.query());
        String method = request.method();
        String[] s = path.split("/");
        // s[0] is "" (path starts with '/'), s[1] "v3"
        if (s.length < 3 || !s[1].equals("v3")) {
            throw new ApiError(404, "Resource not found");
        }
        if (s[2].equals("issues")) {
            if (s.length == 3 && method.equals("POST")) {
                ObjectNode created = create(json(request));
                notify(created, "IssueCreated");
                return new Answer(201, created);
            }
            if (s.length == 4 && s[3].equals("_search") && method.equals("POST")) {
                return search(json(request), query);
            }
            if (s.length == 4 && method.equals("GET")) {
                return new Answer(200, existing(s[3]).deepCopy());
            }
            if (s.length == 4 && method.equals("PATCH")) {
                ObjectNode issue = existing(s[3]);
                ObjectNode updated = update(issue, json(request), query);
                notify(issue, "IssueUpdated");
                return new Answer(200, updated);
            }
            if (s.length == 5 && s[4].equals("comments") && method.equals("POST")) {
                ObjectNode issue = existing(s[3]);
                ObjectNode comment = comment(issue, json(request));
                notify(issue, "IssueCommentAdded");
                return new Answer(201, comment);
            }
            if (s.length == 5 && s[4].equals("transitions") && method.equals("GET")) {
                return new Answer(200, transitions(existing(s[3])));
            }
            if (s.length == 7 && s[4].equals("transitions") && s[6].equals("_execute") && method.equals("POST")) {
                ObjectNode issue = existing(s[3]);
                ArrayNode available = transition(issue, s[5]);
                notify(issue, "IssueWorkflow");
                return new Answer(200, available);
            }
            if (s.length == 5 && s[4].equals("comments") && method.equals("GET")) {
                ArrayNode list = SandboxHttp.MAPPER.createArrayNode();
                comments.getOrDefault(existing(s[3]).get("key").asText(), List.of()).forEach(c -> list.add(c.deepCopy()));
                return new Answer(200, list);
            }
        }
        if (s[2].equals("entities") && s.length == 6 && s[5].equals("checklistItems") && method.equals("DELETE")) {
            return new Answer(200, deleteChecklist(s[3], s[4], query));
        }
        throw new ApiError(404, "Resource not found");
    }

    private ObjectNode create(ObjectNode body) {
        ObjectNode errors = SandboxHttp.object();
        String queue = text(body, "queue");
        if (queue == null) {
            errors.put("queue", "Required field");
        }
        if (text(body, "summary") == null) {
            errors.put("summary", "Required field");
        }
        if (!errors.isEmpty()) {
            throw new ApiError(422, "Validation failed", errors);
        }
        if (!QUEUE.equals(queue)) {
            throw new ApiError(404, "Queue " + queue + " does not exist");
        }
        // PROVIDERS.md: a repeated create with the same "unique" is answered 409 (the message is a guess)
        String unique = text(body, "unique");
        if (unique != null && issues.values().stream().anyMatch(i -> unique.equals(text(i, "unique")))) {
            throw new ApiError(409, "Issue with unique value " + unique + " already exists");
        }
        String key = QUEUE + "-" + nextIssue++;
        ObjectNode issue = SandboxHttp.object();
        issue.put("self", root + CONTEXT + "/v3/issues/" + key);
        issue.put("id", "6a0b" + String.format("%020d", nextIssue));
        issue.put("key", key);
        issue.put("version", 1);
        issue.set("status", status("open"));
        issue.set("queue", SandboxHttp.object().put("self", root + CONTEXT + "/v3/queues/" + QUEUE).put("id", "1")
                .put("key", QUEUE).put("display", "Test queue"));
        issue.set("createdBy", user("alice"));
        issue.put("createdAt", now());
        applyFields(issue, body);
        issues.put(key, issue);
        return issue.deepCopy();
    }

    /** {@code ?version=N} that is not the current version is a conflict (409), as Tracker's optimistic locking. */
    private ObjectNode update(ObjectNode issue, ObjectNode body, Map<String, String> query) {
        String expected = query.get("version");
        if (expected != null && !expected.equals(issue.get("version").asText())) {
            throw new ApiError(409, "Version conflict: the issue is at version " + issue.get("version").asText());
        }
        if (body.has("key") || body.has("status") || body.has("queue")) {
            ObjectNode errors = SandboxHttp.object();
            for (String field : new String[] {"key", "status", "queue"}) {
                if (body.has(field)) {
                    errors.put(field, "Field is read-only here" + (field.equals("status") ? ": use a transition" : ""));
                }
            }
            throw new ApiError(422, "Validation failed", errors);
        }
        bumpVersion(issue);
        applyFields(issue, body);
        return issue.deepCopy();
    }

    private void applyFields(ObjectNode issue, ObjectNode body) {
        ObjectNode errors = SandboxHttp.object();
        JsonNode assignee = body.get("assignee");
        ObjectNode assigneeUser = null;
        if (assignee != null && !assignee.isNull()) {
            assigneeUser = resolveUser(assignee.asText());
            if (assigneeUser == null) {
                errors.put("assignee", "User " + assignee.asText() + " does not exist");
            }
        }
        String parent = text(body, "parent");
        if (parent != null && !issues.containsKey(parent)) {
            errors.put("parent", "Issue " + parent + " does not exist");
        }
        String deadline = text(body, "deadline");
        if (deadline != null && !deadline.matches("\\d{4}-\\d{2}-\\d{2}")) {
            errors.put("deadline", "Expected a date YYYY-MM-DD");
        }
        if (!errors.isEmpty()) {
            throw new ApiError(422, "Validation failed", errors);
        }
        Iterator<Map.Entry<String, JsonNode>> it = body.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            switch (e.getKey()) {
                case "queue" -> { }
                case "assignee" -> {
                    if (assigneeUser == null) {
                        issue.remove("assignee");
                    } else {
                        issue.set("assignee", assigneeUser);
                    }
                }
                case "parent" -> issue.set("parent", SandboxHttp.object().put("self", root + CONTEXT + "/v3/issues/" + parent)
                        .put("id", issues.get(parent).get("id").asText()).put("key", parent));
                default -> issue.set(e.getKey(), e.getValue());
            }
        }
        touch(issue);
    }

    /** A new {@code updatedAt}: now, or one millisecond after the previous one when the clock has not moved on. */
    private void touch(ObjectNode issue) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        Instant previous = instant(issue.path("updatedAt").asText(null));
        if (previous != null && !now.isAfter(previous)) {
            now = previous.plusMillis(1);
        }
        issue.put("updatedAt", OffsetDateTime.ofInstant(now, ZoneOffset.UTC).format(TIME));
    }

    private static Instant instant(String time) {
        try {
            return time == null ? null : OffsetDateTime.parse(time, TIME).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private ObjectNode status(String key) {
        return SandboxHttp.object().put("self", root + CONTEXT + "/v3/statuses/" + key)
                .put("id", String.valueOf(key.hashCode() & 0xff)).put("key", key).put("display", key);
    }

    /** The transitions available from the issue's status, as Tracker lists them. */
    private ArrayNode transitions(ObjectNode issue) {
        ArrayNode list = SandboxHttp.MAPPER.createArrayNode();
        String key = issue.get("key").asText();
        TRANSITIONS.getOrDefault(issue.path("status").path("key").asText(), Map.of()).entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .forEach(t -> list.add(SandboxHttp.object()
                        .put("self", root + CONTEXT + "/v3/issues/" + key + "/transitions/" + t.getKey())
                        .put("id", t.getKey()).put("display", t.getKey()).set("to", status(t.getValue()))));
        return list;
    }

    /**
     * Executes a workflow transition: the new status, a new version and updatedAt; answers the transitions now
     * available (as Tracker does). An unknown or unavailable transition is a 400 (guess).
     */
    private ArrayNode transition(ObjectNode issue, String transitionId) {
        String target = TRANSITIONS.getOrDefault(issue.path("status").path("key").asText(), Map.of()).get(transitionId);
        if (target == null) {
            throw new ApiError(400, "Transition " + transitionId + " is not available from status "
                    + issue.path("status").path("key").asText());
        }
        bumpVersion(issue);
        issue.set("status", status(target));
        touch(issue);
        return transitions(issue);
    }

    /** The trigger's webhook action for an issue change (called under the lock, so in the order of changes). */
    private void notify(ObjectNode issue, String event) {
        if (webhooks == null || !webhooks.enabled()) {
            return;
        }
        byte[] body;
        try {
            body = SandboxHttp.MAPPER.writeValueAsBytes(SandboxHttp.object().put("key", issue.get("key").asText())
                    .put("event", event));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        String credentials = ProviderSandbox.TRACKER_WEBHOOK_USER + ":" + ProviderSandbox.TRACKER_WEBHOOK_PASSWORD;
        webhooks.send(ID, body, Map.of("Authorization",
                "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8))), WEBHOOK);
    }

    /** A uid, a login or a login@domain e-mail of a known user. */
    private ObjectNode resolveUser(String value) {
        String login = value.contains("@") ? value.substring(0, value.indexOf('@')) : value;
        for (Map.Entry<String, String[]> u : USERS.entrySet()) {
            if (u.getKey().equals(login) || u.getValue()[0].equals(value)) {
                return user(u.getKey());
            }
        }
        return null;
    }

    private ObjectNode comment(ObjectNode issue, ObjectNode body) {
        String text = text(body, "text");
        if (text == null || text.isBlank()) {
            throw new ApiError(422, "Validation failed", SandboxHttp.object().put("text", "Required field"));
        }
        bumpVersion(issue);
        touch(issue);
        int id = nextComment++;
        ObjectNode comment = SandboxHttp.object();
        String key = issue.get("key").asText();
        comment.put("self", root + CONTEXT + "/v3/issues/" + key + "/comments/" + id);
        comment.put("id", id);
        comment.put("longId", "6a1c2d3e4f5a6b7c8d9e0f" + id);
        comment.put("text", text);
        comment.set("createdBy", user("alice"));
        comment.put("createdAt", now());
        comment.put("updatedAt", comment.get("createdAt").asText());
        comment.put("version", 1);
        comment.put("type", "standard");
        comment.put("transport", "internal");
        comments.computeIfAbsent(key, k -> new ArrayList<>()).add(comment);
        return comment.deepCopy();
    }

    /**
     * {@code filter} matches issue fields (queue, status and assignee by key/login, others by value), sorted by
     * {@code order} ({@code [+-]field}); of {@code query} (Tracker's query language) only the date conditions on
     * {@code Updated}/{@code Created} and {@code "Sort By"} are interpreted, other terms match every issue. Both
     * filter and query at once is a 400 (guess). Unsorted answers keep creation order.
     */
    private Answer search(ObjectNode body, Map<String, String> query) {
        if (body.has("filter") && body.has("query")) {
            throw new ApiError(400, "Use either filter or query, not both");
        }
        int perPage = positive(query, "perPage", 50);
        int page = positive(query, "page", 1);
        String text = body.path("query").asText("");
        List<ObjectNode> matches = new ArrayList<>();
        for (ObjectNode issue : issues.values()) {
            if (matches(issue, body.path("filter")) && matchesQuery(issue, text)) {
                matches.add(issue);
            }
        }
        Comparator<ObjectNode> order = body.has("query") ? querySort(text) : orderSort(body.path("order").asText(""));
        if (order != null) {
            matches.sort(order); // stable: ties keep creation order
        }
        int total = matches.size();
        int pages = Math.max(1, (total + perPage - 1) / perPage);
        ArrayNode answer = SandboxHttp.MAPPER.createArrayNode();
        for (int i = (page - 1) * perPage; i < Math.min(total, page * perPage); i++) {
            answer.add(matches.get(i).deepCopy());
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("X-Total-Count", String.valueOf(total));
        headers.put("X-Total-Pages", String.valueOf(pages));
        String base = root + CONTEXT + "/v3/issues/_search?perPage=" + perPage + "&page=";
        StringBuilder link = new StringBuilder("<" + base + "1>; rel=\"first\"");
        if (page < pages) {
            link.append(", <").append(base).append(page + 1).append(">; rel=\"next\"");
        }
        if (page > 1) {
            link.append(", <").append(base).append(page - 1).append(">; rel=\"prev\"");
        }
        link.append(", <").append(base).append(pages).append(">; rel=\"last\"");
        headers.put("Link", link.toString());
        return new Answer(200, answer, headers);
    }

    /** The query's date conditions, all of which must hold ({@code Updated: >= "2024-05-21 08:00:00"}). */
    private boolean matchesQuery(ObjectNode issue, String text) {
        Matcher m = QUERY_DATE.matcher(text);
        while (m.find()) {
            Instant value = instant(issue.path(m.group(1).equalsIgnoreCase("updated") ? "updatedAt" : "createdAt")
                    .asText(null));
            Instant bound = queryTime(m.group(3) != null ? m.group(3) : m.group(4) != null ? m.group(4) : m.group(5));
            String operator = m.group(2) == null ? "" : m.group(2);
            boolean holds = value != null && switch (operator) {
                case ">=" -> !value.isBefore(bound);
                case ">" -> value.isAfter(bound);
                case "<=" -> !value.isAfter(bound);
                case "<" -> value.isBefore(bound);
                // no operator: the same day (guess: Tracker matches a date without time as that whole day)
                default -> !value.isBefore(bound) && value.isBefore(bound.plus(Duration.ofDays(1)));
            };
            if (!holds) {
                return false;
            }
        }
        return true;
    }

    /** A date of the query language, in UTC: {@code 2024-05-21 08:00:00}, {@code 2024-05-21 08:00}, {@code 2024-05-21}, {@code now()-12h}. */
    private Instant queryTime(String value) {
        String v = value.trim();
        Matcher relative = RELATIVE.matcher(v);
        if (relative.matches()) {
            Instant now = clock.instant();
            if (relative.group(1) == null) {
                return now;
            }
            long n = Long.parseLong(relative.group(2));
            Duration d = switch (relative.group(3).toLowerCase(java.util.Locale.ROOT)) {
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                case "d" -> Duration.ofDays(n);
                default -> Duration.ofDays(7 * n);
            };
            return relative.group(1).equals("-") ? now.minus(d) : now.plus(d);
        }
        try {
            return v.length() == 10 ? LocalDate.parse(v).atStartOfDay().toInstant(ZoneOffset.UTC)
                    : LocalDateTime.parse(v, QUERY_TIME).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw new ApiError(400, "Invalid date in query: " + value,
                    SandboxHttp.object().put("query", "Expected YYYY-MM-DD [HH:mm[:ss]] or now()-N[smhdw]"));
        }
    }

    private static Comparator<ObjectNode> querySort(String text) {
        Matcher m = QUERY_SORT.matcher(text);
        if (!m.find()) {
            return null;
        }
        String field = switch (m.group(1).toLowerCase(java.util.Locale.ROOT)) {
            case "updated" -> "updatedAt";
            case "created" -> "createdAt";
            default -> "key";
        };
        return sortBy(field, "desc".equalsIgnoreCase(m.group(2)));
    }

    /** {@code order} of a filter search: {@code +updatedAt}, {@code -createdAt}, {@code key}. */
    private static Comparator<ObjectNode> orderSort(String order) {
        String o = order.trim();
        if (o.isEmpty()) {
            return null;
        }
        boolean descending = o.startsWith("-");
        return sortBy(o.startsWith("-") || o.startsWith("+") ? o.substring(1) : o, descending);
    }

    private static Comparator<ObjectNode> sortBy(String field, boolean descending) {
        Comparator<ObjectNode> order;
        if (field.equals("updatedAt") || field.equals("createdAt")) {
            order = Comparator.comparing(i -> instant(i.path(field).asText(null)),
                    Comparator.nullsFirst(Comparator.naturalOrder()));
        } else if (field.equals("key")) {
            // TEST-2 before TEST-10: the queue, then the number
            order = Comparator.comparing((ObjectNode i) -> i.path("key").asText().replaceAll("-\\d+$", ""))
                    .thenComparingLong(i -> Long.parseLong(i.path("key").asText().replaceAll("^.*-", "")));
        } else {
            order = Comparator.comparing(i -> i.path(field).asText());
        }
        return descending ? order.reversed() : order;
    }

    private static boolean matches(ObjectNode issue, JsonNode filter) {
        Iterator<Map.Entry<String, JsonNode>> it = filter.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode field = issue.path(e.getKey());
            String actual = field.isObject() ? field.path("key").asText(field.path("id").asText()) : field.asText();
            boolean any = false;
            for (JsonNode wanted : e.getValue().isArray() ? e.getValue() : SandboxHttp.MAPPER.createArrayNode().add(e.getValue())) {
                any |= wanted.asText().equals(actual);
            }
            if (!any) {
                return false;
            }
        }
        return true;
    }

    /** Seed 002: all checklist items go; the answer is the entity without them. */
    private ObjectNode deleteChecklist(String type, String id, Map<String, String> query) {
        if (!ENTITY_TYPES.contains(type)) {
            throw new ApiError(400, "Unknown entity type " + type, SandboxHttp.object().put("entityType", "Must be project, portfolio or goal"));
        }
        for (String flag : new String[] {"notify", "notifyAuthor"}) {
            String value = query.get(flag);
            if (value != null && !value.equals("true") && !value.equals("false")) {
                throw new ApiError(400, "Invalid value of " + flag, SandboxHttp.object().put(flag, "Expected true or false"));
            }
        }
        ObjectNode entity = entities.values().stream()
                .filter(e -> e.get("entityType").asText().equals(type))
                .filter(e -> e.get("id").asText().equals(id) || e.get("shortId").asText().equals(id))
                .findFirst().orElseThrow(() -> new ApiError(404, "Entity " + type + "/" + id + " not found"));
        bumpVersion(entity);
        entity.putArray("checklistItems");
        entity.put("updatedAt", now());
        ObjectNode answer = entity.deepCopy();
        answer.remove("checklistItems");
        // fields only when asked for (query "fields"), as the seed's response parameters describe
        ObjectNode fields = (ObjectNode) answer.remove("fields");
        String wanted = query.get("fields");
        if (wanted != null) {
            ObjectNode chosen = answer.putObject("fields");
            for (String f : wanted.split(",")) {
                if (fields.has(f.trim())) {
                    chosen.set(f.trim(), fields.get(f.trim()));
                }
            }
        }
        return answer;
    }

    private void bumpVersion(ObjectNode object) {
        int version = object.get("version").asInt();
        if (version >= versionLimit) {
            throw new ApiError(423, "Editing is locked: the object reached the maximum version " + versionLimit);
        }
        object.put("version", version + 1);
    }

    private ObjectNode existing(String key) {
        String decoded = URLDecoder.decode(key, StandardCharsets.UTF_8);
        ObjectNode issue = issues.get(decoded);
        if (issue == null) {
            throw new ApiError(404, "Issue does not exist.");
        }
        return issue;
    }

    private static ObjectNode json(RecordedRequest request) {
        try {
            JsonNode node = SandboxHttp.MAPPER.readTree(request.body());
            if (node == null || !node.isObject()) {
                throw new ApiError(422, "JSON object expected");
            }
            return (ObjectNode) node;
        } catch (IOException e) {
            throw new ApiError(422, "Invalid JSON");
        }
    }

    private static int positive(Map<String, String> query, String name, int defaultValue) {
        String value = query.get(name);
        if (value == null) {
            return defaultValue;
        }
        try {
            int n = Integer.parseInt(value);
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new ApiError(400, "Invalid value of " + name, SandboxHttp.object().put(name, "Expected a positive integer"));
    }

    private static String text(JsonNode body, String field) {
        JsonNode value = body.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private String now() {
        return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC).format(TIME);
    }

    static Map<String, String> parse(String query) {
        Map<String, String> params = new LinkedHashMap<>();
        if (query == null || query.isEmpty()) {
            return params;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            params.putIfAbsent(name, eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return params;
    }

    static ObjectNode errorBody(int status, String message, ObjectNode errors) {
        ObjectNode body = SandboxHttp.object();
        body.set("errors", errors == null ? SandboxHttp.object() : errors);
        body.putArray("errorMessages").add(message);
        body.put("statusCode", status);
        return body;
    }

    @Override
    public void answerFault(HttpExchange exchange, int status) throws IOException {
        SandboxHttp.json(exchange, status, errorBody(status, "Injected fault: HTTP " + status, null));
    }

    @Override
    public void answerRateLimited(HttpExchange exchange, int retryAfterSeconds) throws IOException {
        SandboxHttp.json(exchange, 429, errorBody(429, "Too many requests", null),
                Map.of("Retry-After", String.valueOf(retryAfterSeconds)));
    }
}
