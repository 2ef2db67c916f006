package io.taskroutes.provider.pixflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.taskroutes.command.Operation;
import io.taskroutes.command.TaskResult;
import io.taskroutes.errors.ErrorReason;
import io.taskroutes.errors.TaskException;
import io.taskroutes.provider.HttpResponseView;
import io.taskroutes.testsupport.Fixtures;

class PixflowResponsesTest {

    private static HttpResponseView ok(String body) {
        return new HttpResponseView(200, Map.of(), body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void errorInsideHttp200IsRejectedWithTheProvidersText() {
        assertThatThrownBy(() -> PixflowResponses.toResult(
                Fixtures.command(Fixtures.text("pixflow/delete.command.json"), Operation.DELETE),
                ok(Fixtures.text("pixflow/task-not-found.response.json"))))
                .isInstanceOfSatisfying(TaskException.class, e -> {
                    assertThat(e.reason()).isEqualTo(ErrorReason.REJECTED);
                    assertThat(e.getMessage()).contains("Задача не найдена");
                    assertThat(e.httpStatus()).isEqualTo(200);
                });
    }

    @Test
    void oneTaskComesBackAsAnArrayOfStrings() {
        TaskResult result = PixflowResponses.toResult(
                Fixtures.command("{\"provider\":\"pixflow\",\"taskId\":\"gsvyz98boa\"}", Operation.GET),
                ok("{\"type\":\"success\",\"data\":[{\"uid\":\"gsvyz98boa\",\"status\":\"10\",\"copies_amount\":\"3\",\"date\":\"2024-01-02 10:00:00\"}]}"));
        assertThat(result.task.id).isEqualTo("gsvyz98boa");
        assertThat(result.task.status).isEqualTo("closed");
        assertThat(result.task.createdAt).isEqualTo("2024-01-02 10:00:00");
        assertThat(result.task.raw.get("copies_amount").asText()).isEqualTo("3");
    }

    @Test
    void statusCodesMapToOpenClosedError() {
        assertThat(PixflowResponses.status("0")).isEqualTo("open");
        assertThat(PixflowResponses.status("1")).isEqualTo("open");
        assertThat(PixflowResponses.status("5")).isEqualTo("open");
        assertThat(PixflowResponses.status("10")).isEqualTo("closed");
        assertThat(PixflowResponses.status("15")).isEqualTo("error");
    }

    @Test
    void serverErrorIsUnavailable() {
        assertThatThrownBy(() -> PixflowResponses.toResult(
                Fixtures.command("{\"provider\":\"pixflow\",\"taskId\":\"x\"}", Operation.DELETE),
                new HttpResponseView(502, Map.of("retry-after", "3"), "bad gateway".getBytes(StandardCharsets.UTF_8))))
                .isInstanceOfSatisfying(TaskException.class, e -> {
                    assertThat(e.reason()).isEqualTo(ErrorReason.UNAVAILABLE);
                    assertThat(e.retryAfter()).hasSeconds(3);
                });
    }
}
