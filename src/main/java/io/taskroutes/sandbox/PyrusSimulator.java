package io.taskroutes.sandbox;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;

/**
 * Pyrus API v4 in memory: auth ({@code /pyrus-accounts/api/v4/auth}) and tasks ({@code /pyrus/v4}).
 * Follows the Pyrus task docs (seed 001) and PROVIDERS.md; what they leave open is marked "guess".
 *
 * <p>Polling: every task, seeded or created, is in list {@link #ALL_TASKS_LIST_ID} ({@code list_ids} shows it), so
 * {@code GET /lists/8000/tasks?modified_after=YYYY-MM-DDThh:mm:ssZ&include_archived=y} finds every task changed at
 * or after that second (both {@code modified_after} and {@code modified_before} are inclusive; closed tasks only with
 * {@code include_archived=y}; deleted tasks are gone). {@code last_modified_date} is UTC to the second.
 *
 * <p>Webhooks (when the sandbox's are on): after each API call that creates or changes a task, a POST to
 * {@code <base>/pyrus} with {@code {"event":"task_received"|"comment","access_token","task_id","user_id","task"}}
 * ({@code task_received} for a created task, {@code comment} for every other change; {@code task} as
 * {@code GET /tasks/{id}} returns it, comments included; {@code access_token} works for the API; {@code user_id}
 * is the bot's id) and {@code X-Pyrus-Sig}: lowercase hex HMAC-SHA1 of the body keyed with
 * {@link ProviderSandbox#PYRUS_SECURITY_KEY}. An answer other than 2xx, or none, is retried twice with
 * {@code X-Pyrus-Retry: 1/3} and {@code 2/3} (after {@link ProviderSandbox#webhookRetryDelay} and twice that, where
 * Pyrus waits 61 s and 122 s). A deleted task sends none (there is no task left to send).
 */
public final class PyrusSimulator implements SimulatedProvider {

    /** The list every task is in, seeded or created through the API: the one to poll for changes. */
    public static final long ALL_TASKS_LIST_ID = 8000;

    static final int RATE_LIMIT = 5000;
    /** Pyrus's webhook rules: 2xx within 60 s, else two retries numbered by X-Pyrus-Retry. */
    static final WebhookSender.Policy WEBHOOK = new WebhookSender.Policy(2, "X-Pyrus-Retry", Duration.ofSeconds(60), 0,
            WebhookSender.Acceptance.ANY_2XX);
    static final Duration RATE_WINDOW = Duration.ofMinutes(10);

    /**
     * Unknown (or deleted) task. Pyrus has no "task not found" error code: the official C# client's
     * ErrorCodeType lists {@code access_denied_task} under Forbidden (403), and Pyrus answers it for any task
     * the caller cannot see, nonexistent ones included. So: 403 {@code access_denied_task} (judgement call).
     */
    static final int UNKNOWN_TASK_STATUS = 403;

    private static final Pattern TASK = Pattern.compile("/tasks/(\\d{1,18})");
    private static final Pattern COMMENTS = Pattern.compile("/tasks/(\\d{1,18})/comments");
    private static final Pattern LIST_TASKS = Pattern.compile("/lists/(\\d{1,18})/tasks");

    /** Comment fields that count as "something to change" (at least one is required). */
    private static final Set<String> COMMENT_FIELDS = Set.of("text", "formatted_text", "subject", "due_date", "due",
            "duration", "cancel_due", "action", "approval_choice", "reassign_to", "approvals_added",
            "approvals_removed", "approvals_rerequested", "subscribers_added", "subscribers_removed",
            "subscribers_rerequested", "participants_added", "participants_removed", "field_updates", "attachments",
            "added_list_ids", "removed_list_ids", "scheduled_date", "scheduled_datetime_utc", "cancel_schedule",
            "channel", "spent_minutes");

    /** Request fields that are copied as they are onto a new task when present. */
    private static final List<String> COPIED_TASK_FIELDS = List.of("formatted_text", "subject", "due_date", "due",
            "duration", "parent_task_id", "list_ids", "scheduled_date", "scheduled_datetime_utc");

    private String apiUrl;
    private String filesUrl;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Boolean> issuedTokens = new ConcurrentHashMap<>(); // token -> expired
    private final Set<String> staticTokens = ConcurrentHashMap.newKeySet();
    private final AtomicInteger authCalls = new AtomicInteger();
    private volatile Clock clock = Clock.systemUTC();
    private WebhookSender webhooks;

    // guarded by this
    private final Map<Long, ObjectNode> tasks = new LinkedHashMap<>();
    private final PyrusPeople people = new PyrusPeople();
    private long nextTaskId;
    private long nextCommentId;
    private Instant windowStart;
    private int windowCount;
    private int quota = RATE_LIMIT;

    public PyrusSimulator() {
        reset();
    }

    @Override
    public String id() {
        return ProviderSandbox.PYRUS;
    }

    @Override
    public void attach(String root) {
        this.apiUrl = root + "/pyrus/v4/";
        this.filesUrl = root + "/pyrus-files/";
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
        return Map.of("/pyrus/v4", this::handleApi, "/pyrus-accounts/api/v4", this::handleAuth);
    }

    @Override
    public Map<String, String> clientProperties(String root) {
        return Map.of("tasks.pyrus.base-url", root + "/pyrus/v4",
                "tasks.pyrus.auth-url", root + "/pyrus-accounts/api/v4/auth",
                "tasks.pyrus.login", ProviderSandbox.PYRUS_LOGIN,
                "tasks.pyrus.security-key", ProviderSandbox.PYRUS_SECURITY_KEY,
                "tasks.pyrus.token", "");
    }

    /** Creates a plain task directly (test setup), as POST /tasks with {@code {"text": text}} would; returns its id. */
    public long seedTask(String text) {
        try {
            return createTask(SandboxHttp.object().put("text", text), false).path("task").path("id").asLong();
        } catch (PyrusError e) {
            throw new IllegalStateException(e);
        }
    }

    /** The texts of a task's comments in the order they were added (the first is the task's own text). */
    public synchronized List<String> commentTexts(long id) {
        List<String> texts = new ArrayList<>();
        ObjectNode task = tasks.get(id);
        if (task != null) {
            task.path("comments").forEach(c -> texts.add(c.path("text").asText(null)));
        }
        return texts;
    }

    /** The text of every task, in creation order (a form task has its form's name). */
    public synchronized List<String> taskTexts() {
        List<String> texts = new ArrayList<>();
        tasks.values().forEach(t -> texts.add(t.path("text").asText(null)));
        return texts;
    }

    /** Makes {@code token} valid for API calls (it never expires, not even on {@link #expireTokens()}). */
    public void acceptStaticToken(String token) {
        staticTokens.add(token);
    }

    /** Every token issued so far by auth answers 401 {@code expired_token} from now on. */
    public void expireTokens() {
        issuedTokens.replaceAll((token, expired) -> true);
    }

    /** How many requests reached the auth endpoint (faulted ones are not counted; see requests("pyrus")). */
    public int authCalls() {
        return authCalls.get();
    }

    /** A copy of a task as GET /tasks/{id} would return it (without the {"task":…} wrapper). */
    public synchronized Optional<JsonNode> task(long id) {
        ObjectNode task = tasks.get(id);
        return task == null ? Optional.empty() : Optional.of(task.deepCopy());
    }

    /** Seeded tasks and id counters back, rate-limit window reset, auth count zero; issued tokens valid again. */
    @Override
    public synchronized void reset() {
        tasks.clear();
        PyrusSeed.tasks().forEach(t -> {
            arrayProperty(t, "list_ids").add(ALL_TASKS_LIST_ID);
            tasks.put(t.get("id").asLong(), t);
        });
        people.reset();
        nextTaskId = PyrusSeed.NEXT_TASK_ID;
        nextCommentId = PyrusSeed.NEXT_COMMENT_ID;
        windowStart = null;
        windowCount = 0;
        authCalls.set(0);
        issuedTokens.replaceAll((token, expired) -> false);
    }

    // ---- auth -------------------------------------------------------------------------------------------

    void handleAuth(HttpExchange exchange, RecordedRequest request) throws IOException {
        try {
            if (!SandboxHttp.subPath(exchange).equals("/auth")) {
                throw new PyrusError(404, "not_found", "Unknown method");
            }
            requireMethod(request, "POST");
            authCalls.incrementAndGet();
            ObjectNode body = jsonBody(request);
            if (!ProviderSandbox.PYRUS_LOGIN.equalsIgnoreCase(body.path("login").asText())
                    || !ProviderSandbox.PYRUS_SECURITY_KEY.equals(body.path("security_key").asText())) {
                throw new PyrusError(401, "invalid_credentials", "Invalid login or security key");
            }
            byte[] bytes = new byte[48];
            random.nextBytes(bytes);
            String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
            issuedTokens.put(token, false);
            ObjectNode answer = SandboxHttp.object();
            answer.put("access_token", token);
            answer.put("api_url", apiUrl);
            answer.put("files_url", filesUrl);
            SandboxHttp.json(exchange, 200, answer);
        } catch (PyrusError e) {
            SandboxHttp.json(exchange, e.status, e.body());
        }
    }

    // ---- API --------------------------------------------------------------------------------------------

    void handleApi(HttpExchange exchange, RecordedRequest request) throws IOException {
        Map<String, String> rateHeaders = new LinkedHashMap<>();
        boolean withinLimit = countRequest(rateHeaders);
        try {
            checkToken(request);
            if (!withinLimit) {
                throw new PyrusError(429, "too_many_requests", "Too many requests");
            }
            JsonNode answer = route(request, SandboxHttp.subPath(exchange));
            SandboxHttp.json(exchange, 200, answer, rateHeaders);
        } catch (PyrusError e) {
            SandboxHttp.json(exchange, e.status, e.body(), rateHeaders);
        }
    }

    private JsonNode route(RecordedRequest request, String path) throws PyrusError {
        Matcher m;
        if (path.equals("/tasks")) {
            requireMethod(request, "POST");
            return createTask(jsonBody(request), true);
        }
        if ((m = TASK.matcher(path)).matches()) {
            long id = Long.parseLong(m.group(1));
            if (request.method().equals("DELETE")) {
                return deleteTask(id);
            }
            requireMethod(request, "GET");
            return getTask(id);
        }
        if ((m = COMMENTS.matcher(path)).matches()) {
            requireMethod(request, "POST");
            return addComment(Long.parseLong(m.group(1)), jsonBody(request));
        }
        if ((m = LIST_TASKS.matcher(path)).matches()) {
            requireMethod(request, "GET");
            return listTasks(Long.parseLong(m.group(1)), query(request.query()));
        }
        if (path.equals("/inbox")) {
            requireMethod(request, "GET");
            return inbox(query(request.query()));
        }
        // guess: Pyrus's answer for an unknown route is not documented
        throw new PyrusError(404, "not_found", "Unknown method " + path);
    }

    private synchronized JsonNode getTask(long id) throws PyrusError {
        return wrap(existing(id));
    }

    private synchronized JsonNode deleteTask(long id) throws PyrusError {
        existing(id);
        tasks.remove(id);
        ObjectNode answer = SandboxHttp.object();
        answer.put("deleted", true);
        return answer;
    }

    private synchronized JsonNode createTask(ObjectNode in, boolean notify) throws PyrusError {
        checkDue(in);
        boolean form = in.hasNonNull("form_id");
        long formId = 0;
        if (form) {
            formId = in.get("form_id").asLong(); // numeric text accepted too; anything else gives 0
            if (formId <= 0) {
                throw new PyrusError(400, "form_id_missing", "form_id must be a positive integer");
            }
        } else if (blank(in.get("text")) && blank(in.get("formatted_text"))) {
            throw new PyrusError(400, "text_missing", "Task text is missing");
        }
        String now = now();
        ObjectNode bot = PyrusSeed.parse(PyrusSeed.BOT);
        ObjectNode task = SandboxHttp.object();
        task.put("id", nextTaskId++);
        if (form) {
            PyrusSeed.Form template = PyrusSeed.FORMS.get(formId);
            task.put("text", template != null ? template.name() : "Form " + formId); // guess for unknown forms
        } else {
            putIfPresent(task, "text", in.get("text"));
        }
        task.put("create_date", now);
        task.put("last_modified_date", now);
        task.set("author", bot);
        if (form) {
            task.put("form_id", formId);
        }
        ObjectNode responsible = people.person(in.get("responsible"));
        putIfPresent(task, "responsible", responsible);
        for (String name : COPIED_TASK_FIELDS) {
            putIfPresent(task, name, in.get(name));
        }
        ArrayNode lists = arrayProperty(task, "list_ids");
        boolean inSandboxList = false;
        for (JsonNode listId : lists) {
            inSandboxList |= listId.asLong() == ALL_TASKS_LIST_ID;
        }
        if (!inSandboxList) {
            lists.add(ALL_TASKS_LIST_ID); // every task joins the list a poller reads
        }
        ArrayNode participants = form ? null : people.list(in.get("participants"));
        putIfPresent(task, "participants", participants);
        ArrayNode approvals = form ? approvalSteps(in.get("approvals")) : null;
        putIfPresent(task, "approvals", approvals);
        ArrayNode fields = form ? describeFields(formId, in.get("fields")) : null;
        putIfPresent(task, "fields", fields);

        ObjectNode comment = comment(now, bot);
        if (!form) {
            putIfPresent(comment, "text", in.get("text"));
            putIfPresent(comment, "formatted_text", in.get("formatted_text"));
        }
        putIfPresent(comment, "reassigned_to", responsible);
        putIfPresent(comment, "participants_added", participants);
        putIfPresent(comment, "approvals_added", approvals);
        putIfPresent(comment, "field_updates", fields);
        task.putArray("comments").add(comment);
        tasks.put(task.get("id").asLong(), task);
        if (notify) {
            notify("task_received", task);
        }
        return wrap(task);
    }

    private synchronized JsonNode addComment(long id, ObjectNode in) throws PyrusError {
        ObjectNode task = existing(id);
        if (COMMENT_FIELDS.stream().allMatch(name -> blank(in.get(name)))) {
            // guess: the docs only say "at least one field"; the exact code is not documented
            throw new PyrusError(400, "required_parameter_missing", "A comment needs at least one field");
        }
        checkDue(in);
        boolean form = task.has("form_id");
        if (!form && !blank(in.get("field_updates"))) {
            throw new PyrusError(400, "task_has_no_form", "field_updates apply only to form tasks");
        }
        String action = in.path("action").asText("");
        if (!action.isEmpty() && !action.equals("finished") && !action.equals("reopened")) {
            throw new PyrusError(400, "invalid_value_format", "action must be finished or reopened");
        }
        String now = now();
        ObjectNode comment = comment(now, PyrusSeed.parse(PyrusSeed.BOT));
        putIfPresent(comment, "text", in.get("text"));
        putIfPresent(comment, "formatted_text", in.get("formatted_text"));
        if (action.equals("finished")) {
            task.put("close_date", now);
            comment.put("action", action);
        } else if (action.equals("reopened")) {
            task.remove("close_date");
            comment.put("action", action);
        }
        ObjectNode assignee = people.person(in.get("reassign_to"));
        if (assignee != null) {
            task.set("responsible", assignee);
            comment.set("reassigned_to", assignee);
        }
        if (!form && !blank(in.get("subject"))) {
            task.set("subject", in.get("subject"));
            comment.set("subject", in.get("subject"));
        }
        applyDue(task, comment, in);
        if (!form) {
            applyParticipants(task, comment, in);
        }
        if (form) {
            ArrayNode updates = describeFields(task.get("form_id").asLong(), in.get("field_updates"));
            if (updates != null) {
                mergeFields(task, updates);
                comment.set("field_updates", updates);
            }
        }
        applyLists(task, in);
        putIfPresent(comment, "approval_choice", in.get("approval_choice"));
        putIfPresent(comment, "spent_minutes", in.get("spent_minutes"));
        task.put("last_modified_date", now);
        arrayProperty(task, "comments").add(comment);
        notify("comment", task);
        return wrap(task);
    }

    private synchronized JsonNode listTasks(long listId, Map<String, String> query) throws PyrusError {
        int limit = itemCount(query, 200); // guess: Pyrus's default page size for lists
        boolean archived = isYes(query.get("include_archived"));
        Instant before = instant(query.get("modified_before"));
        Instant after = instant(query.get("modified_after"));
        List<ObjectNode> matching = new ArrayList<>();
        for (ObjectNode task : tasks.values()) {
            boolean inList = false;
            for (JsonNode listIdNode : task.path("list_ids")) {
                inList |= listIdNode.asLong() == listId;
            }
            Instant modified = Instant.parse(task.get("last_modified_date").asText());
            // both bounds are inclusive (Pyrus docs)
            if (inList && (archived || !task.has("close_date"))
                    && (before == null || !modified.isAfter(before))
                    && (after == null || !modified.isBefore(after))) {
                matching.add(task);
            }
        }
        return page(matching, limit);
    }

    /** Simplification: the inbox is every open task (the sandbox has a single user). */
    private synchronized JsonNode inbox(Map<String, String> query) throws PyrusError {
        int limit = itemCount(query, 50); // guess: default inbox size
        List<ObjectNode> open = new ArrayList<>();
        for (ObjectNode task : tasks.values()) {
            if (!task.has("close_date")) {
                open.add(task);
            }
        }
        return page(open, limit);
    }

    // ---- webhooks ---------------------------------------------------------------------------------------

    /** Hands the bot's webhook for a task just created or changed to the sender (called under the lock). */
    private void notify(String event, ObjectNode task) {
        if (webhooks == null || !webhooks.enabled()) {
            return;
        }
        byte[] secret = new byte[48];
        random.nextBytes(secret);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        issuedTokens.put(token, false); // the bot may call the API with it, as with a real webhook's token
        ObjectNode body = SandboxHttp.object();
        body.put("event", event);
        body.put("access_token", token);
        body.put("task_id", task.get("id").asLong());
        body.put("user_id", PyrusSeed.parse(PyrusSeed.BOT).get("id").asLong());
        body.set("task", task.deepCopy());
        byte[] bytes;
        try {
            bytes = SandboxHttp.MAPPER.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        webhooks.send(id(), bytes, Map.of("X-Pyrus-Sig", signature(bytes)), WEBHOOK);
    }

    /** X-Pyrus-Sig: lowercase hex HMAC-SHA1 of the raw body, keyed with the bot's security key. */
    static String signature(byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(ProviderSandbox.PYRUS_SECURITY_KEY.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- helpers ----------------------------------------------------------------------------------------

    private ObjectNode existing(long id) throws PyrusError {
        ObjectNode task = tasks.get(id);
        if (task == null) {
            throw new PyrusError(UNKNOWN_TASK_STATUS, "access_denied_task", "Access to task " + id + " is denied");
        }
        return task;
    }

    private static JsonNode wrap(ObjectNode task) {
        ObjectNode answer = SandboxHttp.object();
        answer.set("task", task.deepCopy());
        return answer;
    }

    /** List endpoints return task headers: the task without its comments. */
    private static JsonNode page(List<ObjectNode> found, int limit) {
        ObjectNode answer = SandboxHttp.object();
        ArrayNode list = answer.putArray("tasks");
        for (ObjectNode task : found.subList(0, Math.min(limit, found.size()))) {
            ObjectNode header = task.deepCopy();
            header.remove("comments");
            list.add(header);
        }
        answer.put("has_more", found.size() > limit);
        return answer;
    }

    private ObjectNode comment(String now, ObjectNode author) {
        ObjectNode comment = SandboxHttp.object();
        comment.put("id", nextCommentId++);
        comment.put("create_date", now);
        comment.set("author", author);
        return comment;
    }

    private void applyDue(ObjectNode task, ObjectNode comment, ObjectNode in) {
        if (in.path("cancel_due").asBoolean(false)) {
            task.remove(List.of("due_date", "due", "duration"));
            comment.put("cancel_due", true);
        }
        if (!blank(in.get("due_date"))) {
            task.remove(List.of("due", "duration"));
            task.set("due_date", in.get("due_date"));
            comment.set("due_date", in.get("due_date"));
        }
        if (!blank(in.get("due"))) {
            task.remove("due_date");
            task.set("due", in.get("due"));
            comment.set("due", in.get("due"));
            putIfPresent(task, "duration", in.get("duration"));
            putIfPresent(comment, "duration", in.get("duration"));
        }
    }

    private void applyParticipants(ObjectNode task, ObjectNode comment, ObjectNode in) throws PyrusError {
        ArrayNode added = people.list(in.get("participants_added"));
        ArrayNode removed = people.list(in.get("participants_removed"));
        if (added == null && removed == null) {
            return;
        }
        Map<Long, JsonNode> current = new LinkedHashMap<>();
        task.path("participants").forEach(p -> current.put(p.get("id").asLong(), p));
        if (added != null) {
            added.forEach(p -> current.putIfAbsent(p.get("id").asLong(), p));
            comment.set("participants_added", added);
        }
        if (removed != null) {
            removed.forEach(p -> current.remove(p.get("id").asLong()));
            comment.set("participants_removed", removed);
        }
        task.remove("participants");
        if (!current.isEmpty()) {
            task.putArray("participants").addAll(current.values());
        }
    }

    private static void applyLists(ObjectNode task, ObjectNode in) {
        if (blank(in.get("added_list_ids")) && blank(in.get("removed_list_ids"))) {
            return;
        }
        List<Long> ids = new ArrayList<>();
        task.path("list_ids").forEach(n -> ids.add(n.asLong()));
        in.path("added_list_ids").forEach(n -> {
            if (!ids.contains(n.asLong())) {
                ids.add(n.asLong());
            }
        });
        in.path("removed_list_ids").forEach(n -> ids.remove((Long) n.asLong()));
        task.remove("list_ids");
        if (!ids.isEmpty()) {
            ArrayNode array = task.putArray("list_ids");
            ids.forEach(array::add);
        }
    }

    /** Field values as given, with type and name added when the form template knows the field. */
    private static ArrayNode describeFields(long formId, JsonNode given) {
        if (given == null || !given.isArray() || given.isEmpty()) {
            return null;
        }
        PyrusSeed.Form template = PyrusSeed.FORMS.get(formId);
        ArrayNode fields = SandboxHttp.MAPPER.createArrayNode();
        for (JsonNode field : given) {
            ObjectNode out = SandboxHttp.object();
            out.set("id", field.get("id"));
            List<String> known = template == null ? null : template.fields().get(field.path("id").asInt());
            if (known != null) {
                out.put("type", known.get(0));
                out.put("name", known.get(1));
            }
            field.properties().forEach(e -> {
                if (!out.has(e.getKey())) {
                    out.set(e.getKey(), e.getValue());
                }
            });
            fields.add(out);
        }
        return fields;
    }

    private static void mergeFields(ObjectNode task, ArrayNode updates) {
        ArrayNode fields = arrayProperty(task, "fields");
        for (JsonNode update : updates) {
            boolean replaced = false;
            for (int i = 0; i < fields.size(); i++) {
                if (fields.get(i).path("id").equals(update.get("id"))) {
                    fields.set(i, update);
                    replaced = true;
                }
            }
            if (!replaced) {
                fields.add(update);
            }
        }
    }

    private ArrayNode approvalSteps(JsonNode given) throws PyrusError {
        if (given == null || !given.isArray() || given.isEmpty()) {
            return null;
        }
        ArrayNode steps = SandboxHttp.MAPPER.createArrayNode();
        for (JsonNode step : given) {
            ArrayNode out = steps.addArray();
            for (JsonNode ref : step) {
                ObjectNode approval = out.addObject();
                approval.set("person", people.person(ref));
                approval.put("approval_choice", "waiting");
            }
        }
        return steps;
    }

    private void checkToken(RecordedRequest request) throws PyrusError {
        String header = request.header("authorization");
        if (header == null || header.isBlank()) {
            throw new PyrusError(401, "token_not_specified", "Access token is not specified");
        }
        if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new PyrusError(401, "authorization_error", "Use Authorization: Bearer <token>");
        }
        String token = header.substring(7).trim();
        if (token.isEmpty()) {
            throw new PyrusError(401, "token_not_specified", "Access token is not specified");
        }
        if (staticTokens.contains(token)) {
            return;
        }
        Boolean expired = issuedTokens.get(token);
        if (expired == null) {
            throw new PyrusError(401, "invalid_token", "Access token is invalid");
        }
        if (expired) {
            throw new PyrusError(401, "expired_token", "Access token has expired");
        }
    }

    /**
     * API requests allowed per 10-minute window (Pyrus' documented 5,000 by default). A benchmark making tens of
     * thousands of calls raises it; kept across {@link #reset()}.
     */
    public synchronized void requestQuota(int requests) {
        if (requests < 1) {
            throw new IllegalArgumentException("quota must be at least 1: " + requests);
        }
        quota = requests;
    }

    /** Counts one API request in the 10-minute window and fills the X-RateLimit-* headers. */
    private synchronized boolean countRequest(Map<String, String> headers) {
        Instant now = Instant.now();
        if (windowStart == null || !now.isBefore(windowStart.plus(RATE_WINDOW))) {
            windowStart = now;
            windowCount = 0;
        }
        windowCount++;
        long reset = Math.max(0, Duration.between(now, windowStart.plus(RATE_WINDOW)).toSeconds());
        headers.put("X-RateLimit-Limit", String.valueOf(quota));
        headers.put("X-RateLimit-Remaining", String.valueOf(Math.max(0, quota - windowCount)));
        headers.put("X-RateLimit-Reset", String.valueOf(reset));
        return windowCount <= quota;
    }

    private static void checkDue(ObjectNode in) throws PyrusError {
        if (!blank(in.get("due_date")) && !blank(in.get("due"))) {
            throw new PyrusError(400, "either_due_date_or_due_can_be_set", "Either due_date or due can be set");
        }
    }

    private static ObjectNode jsonBody(RecordedRequest request) throws PyrusError {
        if (request.bodyString().isBlank()) {
            throw new PyrusError(400, "empty_body", "Request body is empty");
        }
        JsonNode node;
        try {
            node = SandboxHttp.MAPPER.readTree(request.body());
        } catch (IOException e) {
            throw new PyrusError(400, "invalid_json", "Request body is not valid JSON");
        }
        if (!(node instanceof ObjectNode)) {
            throw new PyrusError(400, "invalid_json", "Request body must be a JSON object");
        }
        return (ObjectNode) node;
    }

    private static void requireMethod(RecordedRequest request, String method) throws PyrusError {
        if (!request.method().equals(method)) {
            // guess: the code for a wrong method is not documented
            throw new PyrusError(405, "method_not_allowed", "Use " + method);
        }
    }

    private static int itemCount(Map<String, String> query, int defaultCount) throws PyrusError {
        String value = query.get("item_count");
        if (value == null || value.isBlank()) {
            return defaultCount;
        }
        try {
            int count = Integer.parseInt(value.trim());
            if (count > 0) {
                return count;
            }
        } catch (NumberFormatException ignored) {
            // answered below
        }
        throw new PyrusError(400, "items_count_out_of_range", "item_count must be a positive integer");
    }

    private static Instant instant(String value) throws PyrusError {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value.trim());
        } catch (DateTimeParseException e) {
            throw new PyrusError(400, "invalid_value_format", "Not an ISO-8601 UTC date: " + value);
        }
    }

    private static boolean isYes(String value) {
        return value != null && (value.equalsIgnoreCase("y") || value.equalsIgnoreCase("true") || value.equals("1"));
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> params = new LinkedHashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                if (!pair.isEmpty()) {
                    params.putIfAbsent(URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
                            eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return params;
    }

    /** Null, missing, JSON null, blank text and empty arrays/objects count as absent ("empty fields omitted"). */
    private static boolean blank(JsonNode node) {
        return node == null || node.isNull() || node.isMissingNode()
                || (node.isTextual() && node.asText().isBlank())
                || (node.isContainerNode() && node.isEmpty());
    }

    private static void putIfPresent(ObjectNode target, String name, JsonNode value) {
        if (!blank(value)) {
            target.set(name, value.deepCopy());
        }
    }

    private static ArrayNode arrayProperty(ObjectNode node, String name) {
        return node.get(name) instanceof ArrayNode array ? array : node.putArray(name);
    }

    private String now() {
        return clock.instant().truncatedTo(ChronoUnit.SECONDS).toString();
    }

    // ---- faults -----------------------------------------------------------------------------------------

    @Override
    public void answerFault(HttpExchange exchange, int status) throws IOException {
        String code = switch (status) {
            case 400 -> "invalid_input";
            case 401 -> "authorization_error";
            case 403 -> "access_denied";
            case 429 -> "too_many_requests";
            default -> "server_error";
        };
        PyrusError error = new PyrusError(status, code, "Injected fault: HTTP " + status);
        SandboxHttp.json(exchange, status, error.body());
    }

    @Override
    public void answerRateLimited(HttpExchange exchange, int retryAfterSeconds) throws IOException {
        PyrusError error = new PyrusError(429, "too_many_requests", "Too many requests, retry after "
                + retryAfterSeconds + " s");
        SandboxHttp.json(exchange, 429, error.body(), Map.of(
                "Retry-After", String.valueOf(retryAfterSeconds),
                "X-RateLimit-Limit", String.valueOf(quota),
                "X-RateLimit-Remaining", "0",
                "X-RateLimit-Reset", String.valueOf(retryAfterSeconds)));
    }
}
