package io.taskroutes.sandbox;

import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;

/**
 * Pixflow API v1 in memory ({@code /pixflow/api/v1}): every method is POST with a form or multipart body,
 * numbers travel as strings, and errors are HTTP 200 {@code {"type":"error","errors":[…]}} (seed 000,
 * PROVIDERS.md). What the docs leave open is marked "guess".
 *
 * <p>Pixflow has no callbacks: a poller reads {@code POST /tasks}, which lists every job with its {@code status}
 * (0 creating, 1 awaiting payment, 5 in progress, 10 done, 15 error), newest first. Tests move a job with
 * {@link #advance(String, String)}; with {@link #autoProgress(Duration)} on (the dev run), jobs created through the
 * API go 0 → 5 → 10 by themselves, one step each, as the clock moves on.
 */
public final class PixflowSimulator implements SimulatedProvider {

    static final String NOT_FOUND = "Задача не найдена";
    /** guess: the docs say a task "В процессе" cannot be deleted but not with which message. */
    static final String IN_PROGRESS = "Задача в процессе выполнения, её нельзя удалить";
    static final String STATUS_IN_PROGRESS = "5";
    static final String STATUS_DONE = "10";
    static final Set<String> STATUSES = Set.of("0", "1", "5", "10", "15");

    /** guess: the task date format is not documented; PHP-style local time without zone. */
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final String UID_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789";

    private final SecureRandom random = new SecureRandom();
    private volatile Clock clock = Clock.systemUTC();
    // guarded by this; insertion order = creation order
    private final Map<String, ObjectNode> tasks = new LinkedHashMap<>();
    /** Jobs moving by themselves: uid -> when they were created. */
    private final Map<String, Instant> progressing = new LinkedHashMap<>();
    private Duration autoStep = Duration.ZERO;

    public PixflowSimulator() {
        reset();
    }

    @Override
    public String id() {
        return ProviderSandbox.PIXFLOW;
    }

    @Override
    public void clock(Clock clock) {
        this.clock = clock == null ? Clock.systemUTC() : clock;
    }

    @Override
    public Map<String, Handler> contexts() {
        return Map.of("/pixflow/api/v1", this::handle);
    }

    @Override
    public Map<String, String> clientProperties(String root) {
        return Map.of("tasks.pixflow.base-url", root + "/pixflow/api/v1",
                "tasks.pixflow.token", ProviderSandbox.PIXFLOW_TOKEN);
    }

    /** Adds (or replaces) a task with the given status ("0", "1", "5", "10", "15"). */
    public synchronized void seedTask(String uid, String status) {
        checkStatus(status);
        ObjectNode task = task(uid, "0", 10, "0", List.of(), "2024-05-14 12:30:00");
        setStatus(task, status, "40");
        tasks.put(uid, task);
        progressing.remove(uid);
    }

    /**
     * Moves a job to {@code status} ("0", "1", "5", "10" done, "15" error) with the progress and result URLs that go
     * with it; it no longer moves by itself. Throws when there is no such job or no such status.
     */
    public synchronized void advance(String uid, String status) {
        checkStatus(status);
        progress();
        ObjectNode task = tasks.get(uid);
        if (task == null) {
            throw new IllegalArgumentException("no Pixflow job " + uid);
        }
        progressing.remove(uid);
        setStatus(task, status, "50");
    }

    /**
     * With a positive {@code step}, each job created through the API from now on moves 0 → 5 after one step and
     * 5 → 10 (done, with results) after another, its {@code progress} growing in between; zero or null turns it
     * off. Read against the simulator's clock whenever a job is looked at, so there is no background thread. Kept
     * across {@link #reset()}.
     */
    public synchronized void autoProgress(Duration step) {
        this.autoStep = step == null || step.isNegative() ? Duration.ZERO : step;
    }

    /** The status of a task, if it exists. */
    public synchronized Optional<String> status(String uid) {
        progress();
        ObjectNode task = tasks.get(uid);
        return task == null ? Optional.empty() : Optional.of(task.get("status").asText());
    }

    /** Brings the self-moving jobs up to the clock. */
    private void progress() {
        if (progressing.isEmpty()) {
            return;
        }
        Instant now = clock.instant();
        for (var it = progressing.entrySet().iterator(); it.hasNext(); ) {
            var entry = it.next();
            ObjectNode task = tasks.get(entry.getKey());
            if (task == null || autoStep.isZero()) {
                it.remove();
                continue;
            }
            long elapsed = Duration.between(entry.getValue(), now).toMillis();
            long step = autoStep.toMillis();
            if (elapsed >= 2 * step) {
                setStatus(task, STATUS_DONE, "100");
                it.remove();
            } else if (elapsed >= step) {
                setStatus(task, STATUS_IN_PROGRESS, String.valueOf(Math.min(99, (elapsed - step) * 100 / step)));
            }
        }
    }

    /** Status with its progress ({@code inProgress} for 5) and, when done, the result URL (one archive, guess). */
    private static void setStatus(ObjectNode task, String status, String inProgress) {
        String uid = task.get("uid").asText();
        task.put("status", status);
        task.put("progress", switch (status) {
            case STATUS_DONE -> "100";
            case STATUS_IN_PROGRESS -> inProgress;
            case "15" -> task.path("progress").asText("0");
            default -> "0";
        });
        ArrayNode results = task.putArray("results");
        if (STATUS_DONE.equals(status)) {
            results.add("https://pixflow.ru/storage/results/" + uid + "/" + uid + ".zip");
        }
    }

    private static void checkStatus(String status) {
        if (!STATUSES.contains(status)) {
            throw new IllegalArgumentException("not a Pixflow status (0, 1, 5, 10, 15): " + status);
        }
    }

    /** Seeds {@code gsvyz98boa} (status 10, done, with results) and {@code inprogress01} (status 5). */
    @Override
    public synchronized void reset() {
        tasks.clear();
        progressing.clear();
        seedTask("gsvyz98boa", STATUS_DONE);
        seedTask("inprogress01", STATUS_IN_PROGRESS);
    }

    void handle(HttpExchange exchange, RecordedRequest request) throws IOException {
        String token = request.header("authorization");
        if (token == null || !token.trim().equals("Bearer " + ProviderSandbox.PIXFLOW_TOKEN)) {
            // guess: the docs show no answer for a bad token; a real 401 with the usual error shape
            SandboxHttp.json(exchange, 401, error(List.of("Unauthorized")));
            return;
        }
        String path = SandboxHttp.subPath(exchange);
        if (!request.method().equals("POST")) {
            // guess: undocumented; every documented method is POST
            SandboxHttp.json(exchange, 405, error(List.of("Method Not Allowed")));
            return;
        }
        List<FormData.Part> parts = FormData.parse(request.header("content-type"), request.body());
        Map<String, String> params = FormData.textFields(parts);
        ObjectNode answer = switch (path) {
            case "/tasks" -> tasks(params.get("task_uid"));
            case "/task/delete" -> delete(params.get("task_uid"));
            case "/task-create/single" -> create(parts, params);
            default -> null;
        };
        if (answer == null) {
            // guess: an unknown method is a transport-level 404, not a Pixflow error body
            SandboxHttp.json(exchange, 404, error(List.of("Not Found")));
            return;
        }
        SandboxHttp.json(exchange, 200, answer);
    }

    private synchronized ObjectNode tasks(String uid) {
        progress();
        ObjectNode answer = success();
        ArrayNode data = answer.putArray("data");
        if (uid != null && !uid.isBlank()) {
            ObjectNode task = tasks.get(uid.trim());
            if (task == null) {
                return error(List.of(NOT_FOUND));
            }
            data.add(task.deepCopy());
            return answer;
        }
        // guess: newest first, no paging (none is documented)
        List<ObjectNode> all = new ArrayList<>(tasks.values());
        for (int i = all.size() - 1; i >= 0; i--) {
            data.add(all.get(i).deepCopy());
        }
        return answer;
    }

    private synchronized ObjectNode delete(String uid) {
        progress();
        ObjectNode task = uid == null ? null : tasks.get(uid.trim());
        if (task == null) {
            return error(List.of(NOT_FOUND));
        }
        if (STATUS_IN_PROGRESS.equals(task.get("status").asText())) {
            return error(List.of(IN_PROGRESS));
        }
        tasks.remove(uid.trim());
        return success();
    }

    /** Validation messages are guesses (the docs give the ranges, not the texts); all of them are reported. */
    private synchronized ObjectNode create(List<FormData.Part> parts, Map<String, String> params) {
        List<String> errors = new ArrayList<>();
        boolean image = parts.stream().anyMatch(p -> p.name().equals("image") && p.isFile() && p.data().length > 0);
        if (!image) {
            errors.add("Не загружено изображение");
        }
        Integer copies = intParam(params, "copies_amount", null);
        if (copies == null || copies < 1 || copies > 500) {
            errors.add("Количество копий должно быть от 1 до 500");
        }
        checkRange(params, "image_names", 1, 3, errors);
        checkRange(params, "converting_format", 0, 1, errors);
        checkRange(params, "exif_mode", 0, 4, errors);
        if (Integer.valueOf(4).equals(intParam(params, "exif_mode", 0))
                && (params.get("exif_template_id") == null || params.get("exif_template_id").isBlank())) {
            errors.add("Не указан шаблон EXIF (exif_template_id)");
        }
        if (!errors.isEmpty()) {
            return error(errors);
        }
        String uid = newUid();
        String now = LocalDateTime.ofInstant(clock.instant(), ZoneOffset.UTC).format(DATE);
        tasks.put(uid, task(uid, "0", copies, "0", List.of(), now));
        if (!autoStep.isZero()) {
            progressing.put(uid, clock.instant());
        }
        ObjectNode answer = success();
        answer.putObject("data").put("uid", uid); // guess: the exact success shape is not documented
        return answer;
    }

    private static void checkRange(Map<String, String> params, String name, int min, int max, List<String> errors) {
        if (!params.containsKey(name)) {
            return;
        }
        Integer value = intParam(params, name, null);
        if (value == null || value < min || value > max) {
            errors.add("Неверное значение параметра " + name + " (допустимо " + min + "–" + max + ")");
        }
    }

    private static Integer intParam(Map<String, String> params, String name, Integer fallback) {
        String value = params.get(name);
        if (value == null) {
            return fallback;
        }
        try {
            return Integer.valueOf(value.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private String newUid() {
        String uid;
        do {
            StringBuilder sb = new StringBuilder(10);
            for (int i = 0; i < 10; i++) {
                sb.append(UID_CHARS.charAt(random.nextInt(UID_CHARS.length())));
            }
            uid = sb.toString();
        } while (tasks.containsKey(uid));
        return uid;
    }

    /** One task as /tasks lists it: every number as a string; one credit per copy (guess). */
    private static ObjectNode task(String uid, String status, int copies, String progress, List<String> results,
            String date) {
        ObjectNode task = SandboxHttp.object();
        task.put("uid", uid);
        task.put("status", status);
        task.put("files_amount", "1");
        task.put("copies_amount", String.valueOf(copies));
        task.put("total_credits", String.valueOf(copies));
        task.put("progress", progress);
        ArrayNode urls = task.putArray("results");
        results.forEach(urls::add);
        task.put("date", date);
        return task;
    }

    private static ObjectNode success() {
        ObjectNode answer = SandboxHttp.object();
        answer.put("type", "success");
        return answer;
    }

    private static ObjectNode error(List<String> messages) {
        ObjectNode answer = SandboxHttp.object();
        answer.put("type", "error");
        ArrayNode errors = answer.putArray("errors");
        messages.forEach(errors::add);
        return answer;
    }

    @Override
    public void answerFault(HttpExchange exchange, int status) throws IOException {
        SandboxHttp.json(exchange, status, error(List.of("Injected fault: HTTP " + status)));
    }

    @Override
    public void answerRateLimited(HttpExchange exchange, int retryAfterSeconds) throws IOException {
        // Pixflow documents no rate limit; the injected one answers like a proxy in front of it would
        SandboxHttp.json(exchange, 429, error(List.of("Too Many Requests")),
                Map.of("Retry-After", String.valueOf(retryAfterSeconds)));
    }
}
