package io.taskroutes.sandbox;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;

/**
 * "Task API v2" in memory ({@code /taskapi}), in Yii2 REST style (seed 003, PROVIDERS.md): POST index with
 * {@code filter}/{@code per-page}/{@code page}/{@code sort} and {@code X-Pagination-*} + {@code Link} headers,
 * 201 on create, 204 on delete, 422 {@code [{"field","message"}]}, Yii2 error objects. Guesses, marked as such:
 * Bearer auth, the related-entities answer of a delete without force, the status values.
 *
 * <p>Times: {@code created_at} and {@code updated_at} are {@code yyyy-MM-dd HH:mm:ss} in UTC (guess: the seed's
 * example shows only a date, which cannot tell two changes of one day apart; the seeded tasks keep their dates at
 * midnight). {@code updated_at} changes on every create and update, one second on from the previous value when the
 * clock has not moved on. Polling: {@code {"filter":{"updated_at":{"gte":"2024-06-03 09:15:42"}},"sort":"updated_at"}}
 * — Yii2 DataFilter operators {@code eq neq lt gt lte gte in nin like} and {@code and}/{@code or}/{@code not};
 * times compare as times (also given as {@code YYYY-MM-DD}, ISO-8601 or unix seconds); {@code sort} takes
 * comma-separated fields, {@code -} for descending. An unknown operator is a 422 as Yii2's DataFilter answers it.
 */
public final class TaskApiSimulator implements SimulatedProvider {

    public static final String TOKEN = "sandbox-taskapi-token";
    /** Seeded task with related entities: deleting it without force answers them instead. */
    public static final String TASK_WITH_RELATED = "task-3";

    static final String ID = "taskapi";
    private static final String CONTEXT = "/taskapi";
    private static final int DEFAULT_PER_PAGE = 20;
    private static final int MAX_PER_PAGE = 50;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final Set<String> OPERATORS = Set.of("eq", "neq", "lt", "gt", "lte", "gte", "in", "nin", "like");
    private static final Set<String> FIELDS = Set.of("task_id", "handler", "user_id", "entity_id", "status",
            "request", "response", "created_at", "updated_at");
    /** guess: the seed names pending and completed; running and failed complete a plausible life cycle. */
    private static final Set<String> STATUSES = Set.of("pending", "running", "completed", "failed");

    // guarded by this; insertion order = creation order
    private final Map<String, ObjectNode> tasks = new LinkedHashMap<>();
    private final Map<String, ArrayNode> related = new LinkedHashMap<>();
    private int nextId;
    private boolean neverEnding;
    private volatile Clock clock = Clock.systemUTC();

    public TaskApiSimulator() {
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
    public Map<String, Handler> contexts() {
        return Map.of(CONTEXT, this::handle);
    }

    @Override
    public Map<String, String> clientProperties(String root) {
        return Map.of("tasks.taskapi.base-url", root + CONTEXT, "tasks.taskapi.token", TOKEN);
    }

    /** A server whose pagination never ends: every page claims there is one more (for the page cap). */
    public synchronized void neverEndingPagination(boolean on) {
        this.neverEnding = on;
    }

    public synchronized boolean exists(String taskId) {
        return tasks.containsKey(taskId);
    }

    @Override
    public synchronized void reset() {
        tasks.clear();
        related.clear();
        neverEnding = false;
        nextId = 1;
        LocalDate day = LocalDate.of(2024, 1, 1);
        for (int i = 1; i <= 45; i++) {
            ObjectNode task = SandboxHttp.object();
            task.put("task_id", "task-" + nextId++);
            task.put("handler", i % 3 == 0 ? "ExportHandler" : "ImportHandler");
            task.put("user_id", "user-" + (1 + i % 4));
            task.put("status", i % 5 == 0 ? "completed" : "pending");
            task.put("created_at", day.plusDays(i - 1).atStartOfDay().format(TIME));
            task.put("updated_at", day.plusDays(i).atStartOfDay().format(TIME));
            tasks.put(task.get("task_id").asText(), task);
        }
        ArrayNode entities = SandboxHttp.MAPPER.createArrayNode();
        entities.add(SandboxHttp.object().put("entity", "report").put("id", "report-7"));
        entities.add(SandboxHttp.object().put("entity", "schedule").put("id", "schedule-2"));
        related.put(TASK_WITH_RELATED, entities);
    }

    void handle(HttpExchange exchange, RecordedRequest request) throws IOException {
        if (!("Bearer " + TOKEN).equals(request.header("Authorization"))) {
            yiiError(exchange, 401, "Unauthorized", "Your request was made with invalid credentials.");
            return;
        }
        String path = SandboxHttp.subPath(exchange);
        String method = request.method();
        try {
            if (path.equals("/v2/task/index") && method.equals("POST")) {
                index(exchange, body(request));
            } else if (path.equals("/v2/task/create") && method.equals("POST")) {
                SandboxHttp.json(exchange, 201, create(body(request)));
            } else if (path.startsWith("/v2/task/view/") && method.equals("GET")) {
                SandboxHttp.json(exchange, 200, view(idOf(path)));
            } else if (path.startsWith("/v2/task/update/") && method.equals("PUT")) {
                SandboxHttp.json(exchange, 200, update(idOf(path), body(request)));
            } else if (path.startsWith("/v2/task/delete/") && method.equals("DELETE")) {
                JsonNode answer = delete(idOf(path), "true".equals(queryParam(request.query(), "force")));
                if (answer == null) {
                    exchange.sendResponseHeaders(204, -1);
                } else {
                    SandboxHttp.json(exchange, 200, answer);
                }
            } else {
                yiiError(exchange, 404, "Not Found", "Page not found.");
            }
        } catch (NotFound e) {
            yiiError(exchange, 404, "Not Found", "Task not found.");
        } catch (Invalid e) {
            SandboxHttp.json(exchange, 422, e.errors);
        }
    }

    private synchronized void index(HttpExchange exchange, ObjectNode body) throws IOException {
        JsonNode filter = body.path("filter");
        checkFilter(filter);
        List<ObjectNode> matches = new ArrayList<>();
        for (ObjectNode task : tasks.values()) {
            if (matches(task, filter)) {
                matches.add(task);
            }
        }
        Comparator<ObjectNode> order = null;
        for (String part : body.path("sort").asText("").split(",")) {
            String s = part.trim();
            if (s.isEmpty() || s.equals("-")) {
                continue;
            }
            String field = s.startsWith("-") ? s.substring(1) : s;
            Comparator<ObjectNode> next = (a, b) -> compare(field, a.path(field), b.path(field));
            next = s.startsWith("-") ? next.reversed() : next;
            order = order == null ? next : order.thenComparing(next);
        }
        if (order != null) {
            matches.sort(order); // stable: ties keep creation order
        }
        int perPage = Math.min(MAX_PER_PAGE, Math.max(1, body.path("per-page").asInt(DEFAULT_PER_PAGE)));
        int pageCount = Math.max(1, (matches.size() + perPage - 1) / perPage);
        int page = Math.max(1, body.path("page").asInt(1));
        ArrayNode items = SandboxHttp.MAPPER.createArrayNode();
        matches.stream().skip((long) (Math.min(page, pageCount) - 1) * perPage).limit(perPage).forEach(items::add);
        if (neverEnding) {
            pageCount = page + 1;
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("X-Pagination-Current-Page", String.valueOf(page));
        headers.put("X-Pagination-Page-Count", String.valueOf(pageCount));
        headers.put("X-Pagination-Per-Page", String.valueOf(perPage));
        headers.put("X-Pagination-Total-Count", String.valueOf(neverEnding ? (long) pageCount * perPage : matches.size()));
        String self = "http://sandbox" + CONTEXT + "/v2/task/index?page=";
        headers.put("Link", "<" + self + page + ">; rel=self, <" + self + "1>; rel=first"
                + (page < pageCount ? ", <" + self + (page + 1) + ">; rel=next" : "")
                + ", <" + self + pageCount + ">; rel=last");
        SandboxHttp.json(exchange, 200, items, headers);
    }

    private synchronized JsonNode create(ObjectNode in) {
        ArrayNode errors = SandboxHttp.MAPPER.createArrayNode();
        for (String required : List.of("handler", "user_id")) {
            if (!in.hasNonNull(required) || in.get(required).asText().isBlank()) {
                errors.add(SandboxHttp.object().put("field", required).put("message", label(required) + " cannot be blank."));
            }
        }
        checkStatus(in, errors);
        if (!errors.isEmpty()) {
            throw new Invalid(errors);
        }
        ObjectNode task = SandboxHttp.object();
        task.put("task_id", "task-" + nextId++);
        copyFields(in, task);
        if (!task.has("status")) {
            task.put("status", "pending");
        }
        String now = now();
        task.put("created_at", now);
        task.put("updated_at", now);
        tasks.put(task.get("task_id").asText(), task);
        return task;
    }

    private synchronized JsonNode view(String id) {
        ObjectNode task = tasks.get(id);
        if (task == null) {
            throw new NotFound();
        }
        return task;
    }

    private synchronized JsonNode update(String id, ObjectNode in) {
        ObjectNode task = (ObjectNode) view(id);
        ArrayNode errors = SandboxHttp.MAPPER.createArrayNode();
        checkStatus(in, errors);
        if (!errors.isEmpty()) {
            throw new Invalid(errors);
        }
        copyFields(in, task);
        touch(task);
        return task;
    }

    /** null when deleted (204); the related entities when there are some and force is not set (a guess). */
    private synchronized JsonNode delete(String id, boolean force) {
        view(id);
        ArrayNode entities = related.get(id);
        if (entities != null && !force) {
            return entities;
        }
        tasks.remove(id);
        related.remove(id);
        return null;
    }

    private String now() {
        return LocalDateTime.ofInstant(clock.instant(), ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS).format(TIME);
    }

    /** A new {@code updated_at}: now, or one second after the previous value when the clock has not moved on. */
    private void touch(ObjectNode task) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Instant previous = time(task.get("updated_at"));
        if (previous != null && !now.isAfter(previous)) {
            now = previous.plusSeconds(1);
        }
        task.put("updated_at", LocalDateTime.ofInstant(now, ZoneOffset.UTC).format(TIME));
    }

    /** Yii2 DataFilter: every attribute condition and every {@code and}/{@code or}/{@code not} must hold. */
    private static boolean matches(ObjectNode task, JsonNode filter) {
        for (var it = filter.fields(); it.hasNext(); ) {
            var e = it.next();
            String key = e.getKey();
            JsonNode condition = e.getValue();
            boolean holds;
            if (key.equals("and") || key.equals("or")) {
                holds = key.equals("and");
                for (JsonNode part : condition) {
                    holds = key.equals("and") ? holds && matches(task, part) : holds || matches(task, part);
                }
            } else if (key.equals("not")) {
                holds = !matches(task, condition);
            } else if (!FIELDS.contains(key)) {
                continue; // the sandbox ignores attributes the model does not have
            } else if (condition.isObject()) {
                holds = true;
                for (var ops = condition.fields(); ops.hasNext(); ) {
                    var op = ops.next();
                    holds &= operator(key, op.getKey(), task.path(key), op.getValue());
                }
            } else {
                holds = compare(key, task.path(key), condition) == 0;
            }
            if (!holds) {
                return false;
            }
        }
        return true;
    }

    private static boolean operator(String field, String operator, JsonNode actual, JsonNode operand) {
        if (actual.isMissingNode() || actual.isNull()) {
            return operator.equals("neq") || operator.equals("nin");
        }
        return switch (operator) {
            case "eq" -> compare(field, actual, operand) == 0;
            case "neq" -> compare(field, actual, operand) != 0;
            case "lt" -> compare(field, actual, operand) < 0;
            case "gt" -> compare(field, actual, operand) > 0;
            case "lte" -> compare(field, actual, operand) <= 0;
            case "gte" -> compare(field, actual, operand) >= 0;
            case "in", "nin" -> {
                boolean found = false;
                for (JsonNode value : operand) {
                    found |= compare(field, actual, value) == 0;
                }
                yield operator.equals("in") == found;
            }
            default -> actual.asText().toLowerCase(java.util.Locale.ROOT)
                    .contains(operand.asText().toLowerCase(java.util.Locale.ROOT)); // like
        };
    }

    /** Times ({@code *_at}) compare as instants, numbers as numbers, the rest as text. */
    private static int compare(String field, JsonNode a, JsonNode b) {
        if (field.endsWith("_at")) {
            Instant x = time(a);
            Instant y = time(b);
            if (x != null && y != null) {
                return x.compareTo(y);
            }
        }
        if (a.isNumber() && b.isNumber()) {
            return Double.compare(a.asDouble(), b.asDouble());
        }
        return a.asText().compareTo(b.asText());
    }

    /** {@code yyyy-MM-dd HH:mm:ss}, {@code yyyy-MM-dd}, ISO-8601 or unix seconds, read as UTC; null otherwise. */
    private static Instant time(JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return null;
        }
        String text = value.asText().trim();
        try {
            if (value.isNumber() || text.matches("\\d{9,11}")) {
                return Instant.ofEpochSecond(Long.parseLong(text));
            }
            if (text.length() == 10) {
                return LocalDate.parse(text).atStartOfDay().toInstant(ZoneOffset.UTC);
            }
            if (text.contains("T")) {
                return java.time.OffsetDateTime.parse(text).toInstant();
            }
            return LocalDateTime.parse(text, TIME).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException | NumberFormatException e) {
            return null;
        }
    }

    /** Yii2 DataFilter's 422 for a condition that is neither a value nor known operators. */
    private static void checkFilter(JsonNode filter) {
        if (filter.isMissingNode() || filter.isNull()) {
            return;
        }
        ArrayNode errors = SandboxHttp.MAPPER.createArrayNode();
        if (!filter.isObject()) {
            errors.add(SandboxHttp.object().put("field", "filter").put("message", "The format of Filter is invalid."));
        } else {
            checkConditions(filter, errors);
        }
        if (!errors.isEmpty()) {
            throw new Invalid(errors);
        }
    }

    private static void checkConditions(JsonNode filter, ArrayNode errors) {
        for (var it = filter.fields(); it.hasNext(); ) {
            var e = it.next();
            if (e.getKey().equals("and") || e.getKey().equals("or")) {
                e.getValue().forEach(part -> checkConditions(part, errors));
            } else if (e.getKey().equals("not")) {
                checkConditions(e.getValue(), errors);
            } else if (e.getValue().isObject()) {
                e.getValue().fieldNames().forEachRemaining(op -> {
                    if (!OPERATORS.contains(op)) {
                        errors.add(SandboxHttp.object().put("field", "filter").put("message", "Condition for \""
                                + e.getKey() + "\" should be either a value or valid operator specification."));
                    }
                });
            }
        }
    }

    private static void copyFields(ObjectNode in, ObjectNode task) {
        in.fields().forEachRemaining(e -> {
            if (FIELDS.contains(e.getKey()) && !e.getKey().equals("task_id") && !e.getKey().endsWith("_at")) {
                task.set(e.getKey(), e.getValue());
            }
        });
    }

    private static void checkStatus(ObjectNode in, ArrayNode errors) {
        if (in.has("status") && !STATUSES.contains(in.get("status").asText())) {
            errors.add(SandboxHttp.object().put("field", "status").put("message", "Status is invalid."));
        }
    }

    private static String label(String field) {
        String words = field.replace('_', ' ');
        return Character.toUpperCase(words.charAt(0)) + words.substring(1).replace(" id", " ID");
    }

    private static ObjectNode body(RecordedRequest request) {
        try {
            JsonNode node = SandboxHttp.MAPPER.readTree(request.body());
            return node != null && node.isObject() ? (ObjectNode) node : SandboxHttp.object();
        } catch (IOException e) {
            return SandboxHttp.object();
        }
    }

    private static String idOf(String path) {
        return URLDecoder.decode(path.substring(path.lastIndexOf('/') + 1), StandardCharsets.UTF_8);
    }

    private static String queryParam(String query, String name) {
        if (query == null) {
            return null;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).equals(name)) {
                return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    private static void yiiError(HttpExchange exchange, int status, String name, String message) throws IOException {
        SandboxHttp.json(exchange, status, yii(status, name, message));
    }

    private static ObjectNode yii(int status, String name, String message) {
        return SandboxHttp.object().put("name", name).put("message", message).put("code", 0).put("status", status);
    }

    @Override
    public void answerFault(HttpExchange exchange, int status) throws IOException {
        yiiError(exchange, status, status >= 500 ? "Internal Server Error" : "Error", "Injected fault: HTTP " + status);
    }

    @Override
    public void answerRateLimited(HttpExchange exchange, int retryAfterSeconds) throws IOException {
        SandboxHttp.json(exchange, 429, yii(429, "Too Many Requests", "Rate limit exceeded."), Map.of(
                "Retry-After", String.valueOf(retryAfterSeconds),
                "X-Rate-Limit-Limit", "100",
                "X-Rate-Limit-Remaining", "0",
                "X-Rate-Limit-Reset", String.valueOf(retryAfterSeconds)));
    }

    private static final class NotFound extends RuntimeException {
        NotFound() {
            super(null, null, false, false);
        }
    }

    private static final class Invalid extends RuntimeException {
        final ArrayNode errors;

        Invalid(ArrayNode errors) {
            super(null, null, false, false);
            this.errors = errors;
        }
    }
}
