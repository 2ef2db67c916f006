package io.taskroutes.provider.taskapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.taskroutes.command.Operation;
import io.taskroutes.command.TaskResult;
import io.taskroutes.errors.ErrorReason;
import io.taskroutes.errors.TaskException;
import io.taskroutes.provider.HttpResponseView;
import io.taskroutes.testsupport.Fixtures;

class TaskApiResponsesTest {

    private static HttpResponseView answer(int status, Map<String, String> headers, String body) {
        return new HttpResponseView(status, headers, body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void validationListIsRejectedNamingTheFields() {
        assertThatThrownBy(() -> TaskApiResponses.toResult(
                Fixtures.command("{\"provider\":\"taskapi\"}", Operation.CREATE),
                answer(422, Map.of(), "[{\"field\":\"handler\",\"message\":\"Handler cannot be blank.\"}]")))
                .isInstanceOfSatisfying(TaskException.class, e -> {
                    assertThat(e.reason()).isEqualTo(ErrorReason.REJECTED);
                    assertThat(e.getMessage()).contains("handler");
                    assertThat(e.details().get(0).path("field").asText()).isEqualTo("handler");
                });
    }

    @Test
    void yii2ErrorObjectsGiveTheirMessageAndStatusReason() {
        assertThatThrownBy(() -> TaskApiResponses.toResult(
                Fixtures.command("{\"provider\":\"taskapi\",\"taskId\":\"x\"}", Operation.GET),
                answer(404, Map.of(), "{\"name\":\"Not Found\",\"message\":\"Task not found.\",\"code\":0,\"status\":404}")))
                .isInstanceOfSatisfying(TaskException.class, e -> {
                    assertThat(e.reason()).isEqualTo(ErrorReason.REJECTED);
                    assertThat(e.getMessage()).contains("Task not found.");
                });
        assertThatThrownBy(() -> TaskApiResponses.toResult(
                Fixtures.command("{\"provider\":\"taskapi\",\"taskId\":\"x\"}", Operation.GET),
                answer(401, Map.of(), "{\"name\":\"Unauthorized\",\"message\":\"Your request was made with invalid credentials.\",\"code\":0,\"status\":401}")))
                .isInstanceOfSatisfying(TaskException.class, e -> assertThat(e.reason()).isEqualTo(ErrorReason.UNAUTHORIZED));
    }

    @Test
    void rateLimitCarriesTheResetHint() {
        assertThatThrownBy(() -> TaskApiResponses.toResult(
                Fixtures.command("{\"provider\":\"taskapi\",\"taskId\":\"x\"}", Operation.GET),
                answer(429, Map.of("x-rate-limit-reset", "7"), "{\"name\":\"Too Many Requests\",\"message\":\"Rate limit exceeded.\",\"code\":0,\"status\":429}")))
                .isInstanceOfSatisfying(TaskException.class, e -> {
                    assertThat(e.reason()).isEqualTo(ErrorReason.UNAVAILABLE);
                    assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(7));
                });
    }

    @Test
    void deleteWithoutForceAnsweringRelatedEntitiesIsRejected() {
        assertThatThrownBy(() -> TaskApiResponses.toResult(
                Fixtures.command("{\"provider\":\"taskapi\",\"taskId\":\"task-1\"}", Operation.DELETE),
                answer(200, Map.of(), "[{\"type\":\"schedule\",\"id\":\"s-1\"}]")))
                .isInstanceOfSatisfying(TaskException.class, e -> {
                    assertThat(e.reason()).isEqualTo(ErrorReason.REJECTED);
                    assertThat(e.getMessage()).contains("s-1");
                    assertThat(e.details().isArray()).isTrue();
                });
        TaskResult deleted = TaskApiResponses.toResult(
                Fixtures.command("{\"provider\":\"taskapi\",\"taskId\":\"task-1\"}", Operation.DELETE),
                answer(204, Map.of(), ""));
        assertThat(deleted).isNotNull();
    }

    @Test
    void nextPageComesFromThePaginationHeadersAndUnixTimesBecomeIso() {
        assertThat(TaskApiResponses.nextPage(answer(200, Map.of("x-pagination-current-page", "2", "x-pagination-page-count", "3"), "[]")))
                .contains(3);
        assertThat(TaskApiResponses.nextPage(answer(200, Map.of("x-pagination-current-page", "3", "x-pagination-page-count", "3"), "[]")))
                .isEmpty();
        assertThat(TaskApiResponses.timestamp(io.taskroutes.command.Json.object().put("t", 1704067200L).get("t")))
                .isEqualTo("2024-01-01T00:00:00Z");
    }
}
