package io.taskroutes.provider.tracker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import io.taskroutes.command.NormalizedTask;
import io.taskroutes.command.Operation;
import io.taskroutes.command.TaskCommand;
import io.taskroutes.command.TaskResult;
import io.taskroutes.errors.ErrorReason;
import io.taskroutes.errors.TaskException;
import io.taskroutes.provider.HttpResponseView;
import io.taskroutes.testsupport.Fixtures;

/** Tracker answers (seed 002's entity, an issue, error bodies, page headers) to results or classified failures. */
class TrackerResponsesTest {

    private static final TaskCommand GET = Fixtures.command("{\"provider\":\"yandex-tracker\",\"taskId\":\"TEST-3\"}", Operation.GET);

    private static HttpResponseView answer(int status, String body, Map<String, String> headers) {
        return new HttpResponseView(status, headers, body.getBytes(StandardCharsets.UTF_8));
    }

    private static TaskException failure(int status, String body, Map<String, String> headers) {
        return catchThrowableOfType(TaskException.class, () -> TrackerResponses.toResult(GET, answer(status, body, headers)));
    }

    @Test
    void anIssueIsNormalizedWithItsRawKept() {
        TaskResult result = TrackerResponses.toResult(GET, answer(200, Fixtures.text("yandex-tracker/issue.response.json"), Map.of()));
        NormalizedTask task = result.task;
        assertThat(task.id).isEqualTo("TEST-3");
        assertThat(task.raw.get("id").asText()).isEqualTo("5f6a7b8c9d0e1f2a3b4c5d06");
        assertThat(task.title).isEqualTo("Build packages");
        assertThat(task.text).isEqualTo("deb and rpm");
        assertThat(task.status).isEqualTo("inProgress");
        assertThat(task.assignee.get("display").asText()).isEqualTo("Bob Jones");
        assertThat(task.author.get("id").asText()).isEqualTo("1120000000000001");
        assertThat(task.createdAt).isEqualTo("2024-05-20T10:15:00.000+0000");
        assertThat(task.updatedAt).isEqualTo("2024-05-21T08:00:00.000+0000");
        assertThat(task.dueDate).isEqualTo("2024-06-30");
        assertThat(task.url).isEqualTo("https://api.tracker.yandex.net/v3/issues/TEST-3");
        assertThat(task.parentId).isEqualTo("TEST-1");
        assertThat(result.taskId).isEqualTo("TEST-3");
    }

    @Test
    void closedAndResolvedAreClosedOtherKeysStayTrackers() {
        assertThat(TrackerResponses.status("closed")).isEqualTo("closed");
        assertThat(TrackerResponses.status("resolved")).isEqualTo("closed");
        assertThat(TrackerResponses.status("open")).isEqualTo("open");
        assertThat(TrackerResponses.status("needInfo")).isEqualTo("needInfo");
    }

    @Test
    void theSeedsEntityAnswerIsATaskWithRaw() {
        TaskCommand command = Fixtures.command("{\"provider\":\"yandex-tracker\",\"entityType\":\"project\","
                + "\"entityId\":\"6586d6fee2b9ef74********\"}", Operation.CHECKLIST_DELETE);
        TaskResult result = TrackerResponses.toResult(command,
                answer(200, Fixtures.text("yandex-tracker/checklist-delete.response.json"), Map.of()));
        assertThat(result.task.id).isEqualTo("6586d6fee2b9ef74********");
        assertThat(result.task.url).isEqualTo("https://api.tracker.yandex.net/v3/entities/project/6586d6fee2b9ef74********");
        assertThat(result.task.author.get("display").asText()).isEqualTo("Имя Фамилия");
        assertThat(result.task.createdAt).isEqualTo("2023-12-13T15:06:27.231Z");
        assertThat(result.task.updatedAt).isEqualTo("2023-12-13T15:06:27.231Z");
        assertThat(result.task.raw.get("version").asInt()).isEqualTo(133);
        assertThat(result.task.raw.get("entityType").asText()).isEqualTo("project");
        assertThat(result.task.raw.get("shortId").asInt()).isZero();
        assertThat(result.taskId).isEqualTo("6586d6fee2b9ef74********");
        assertThat(result.raw).isEqualTo(Fixtures.json("yandex-tracker/checklist-delete.response.json"));
    }

    @ParameterizedTest(name = "HTTP {0} is {1}")
    @CsvSource({"400, REJECTED", "401, UNAUTHORIZED", "403, UNAUTHORIZED", "404, REJECTED", "409, REJECTED",
        "412, REJECTED", "422, REJECTED", "423, REJECTED", "428, REJECTED", "429, UNAVAILABLE", "500, UNAVAILABLE",
        "503, UNAVAILABLE"})
    void statusesAreClassifiedWithTheMessagesInTheText(int status, ErrorReason reason) {
        TaskException e = failure(status, "{\"errors\":{\"summary\":\"Required field\"},\"errorMessages\":[\"Something failed\"],"
                + "\"statusCode\":" + status + "}", Map.of());
        assertThat(e.reason()).isEqualTo(reason);
        assertThat(e.httpStatus()).isEqualTo(status);
        assertThat(e.getMessage()).contains("yandex-tracker answered HTTP " + status)
                .contains("Something failed").contains("summary: Required field");
        assertThat(e.details().get("summary").asText()).isEqualTo("Required field");
    }

    @Test
    void versionLimitNamesTheLimits() {
        TaskException e = failure(423, Fixtures.text("yandex-tracker/version-limit.response.json"), Map.of());
        assertThat(e.reason()).isEqualTo(ErrorReason.REJECTED);
        assertThat(e.getMessage()).contains("version limit").contains("10100").contains("11100")
                .contains("Editing is locked");
    }

    @Test
    void rateLimitCarriesRetryAfter() {
        TaskException e = failure(429, "{\"errors\":{},\"errorMessages\":[\"Too many requests\"],\"statusCode\":429}",
                Map.of("retry-after", "7"));
        assertThat(e.reason()).isEqualTo(ErrorReason.UNAVAILABLE);
        assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(7));
    }

    @Test
    void aListKeepsThePageFactsAndKnowsWhetherMoreFollow() {
        TaskCommand list = Fixtures.command("{\"provider\":\"yandex-tracker\",\"perPage\":2,\"allPages\":true}", Operation.LIST);
        HttpResponseView page = answer(200, "[" + Fixtures.text("yandex-tracker/issue.response.json") + "]",
                Map.of("x-total-count", "5", "x-total-pages", "3"));
        TaskResult result = TrackerResponses.toResult(list, page);
        assertThat(result.tasks).extracting(t -> t.id).containsExactly("TEST-3");
        assertThat(result.page.get("totalCount").asInt()).isEqualTo(5);
        assertThat(result.page.get("totalPages").asInt()).isEqualTo(3);
        assertThat(TrackerResponses.hasNextPage(list, page, 1)).isTrue();
        assertThat(TrackerResponses.hasNextPage(list, page, 2)).isTrue();
        assertThat(TrackerResponses.hasNextPage(list, page, 3)).isFalse();

        HttpResponseView linked = answer(200, "[]", Map.of("link", "<https://x/v3/issues/_search?page=2>; rel=\"next\""));
        assertThat(TrackerResponses.hasNextPage(list, linked, 1)).isTrue();
        HttpResponseView last = answer(200, "[]", Map.of("link", "<https://x/v3/issues/_search?page=1>; rel=\"first\""));
        assertThat(TrackerResponses.hasNextPage(list, last, 1)).isFalse();
    }
}
