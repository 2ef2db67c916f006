package io.taskroutes.provider.worksection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.taskroutes.command.NormalizedTask;
import io.taskroutes.command.Operation;
import io.taskroutes.command.TaskResult;
import io.taskroutes.errors.ErrorReason;
import io.taskroutes.errors.TaskException;
import io.taskroutes.provider.HttpResponseView;
import io.taskroutes.testsupport.Fixtures;

/** Worksection answers (seed 004's sample response, HTTP-200 errors) to results or classified failures. */
class WorksectionResponsesTest {

    private static final String BASE = "https://acme.worksection.com";

    private static HttpResponseView answer(int status, String body) {
        return new HttpResponseView(status, Map.of(), body.getBytes(StandardCharsets.UTF_8));
    }

    private static TaskResult result(Operation operation, String command, String body) {
        return WorksectionResponses.toResult(Fixtures.command(command, operation), answer(200, body), BASE);
    }

    private static TaskException failure(Operation operation, int status, String body) {
        return catchThrowableOfType(TaskException.class, () -> WorksectionResponses.toResult(
                Fixtures.command("{\"provider\":\"worksection\",\"taskId\":\"1\"}", operation), answer(status, body), BASE));
    }

    @Test
    void theSampleListIsFlattenedWithSubtasksAfterTheirParent() {
        TaskResult result = result(Operation.LIST, "{\"provider\":\"worksection\"}",
                Fixtures.text("worksection/get_all_tasks.response.json"));
        List<NormalizedTask> tasks = result.tasks;
        assertThat(tasks).extracting(t -> t.id).containsExactly("1001", "1002", "1003", "1004");
        assertThat(tasks).extracting(t -> t.parentId).containsExactly(null, "1001", "1002", null);

        NormalizedTask release = tasks.get(0);
        assertThat(release.title).isEqualTo("Prepare the release");
        assertThat(release.text).isEqualTo("Release notes and packages");
        assertThat(release.status).isEqualTo("closed");
        assertThat(release.author.get("email").asText()).isEqualTo("alice@sandbox.local");
        assertThat(release.assignee.get("email").asText()).isEqualTo("bob@sandbox.local");
        assertThat(release.createdAt).isEqualTo("2021-05-20T10:15");
        assertThat(release.dueDate).isEqualTo("2021-05-25");
        assertThat(release.url).isEqualTo(BASE + "/project/100/1001/");
        // what the contract has no field for stays in raw, the nested child included
        assertThat(release.raw.get("tags").get("11").asText()).isEqualTo("Release");
        assertThat(release.raw.get("files").get(0).get("name").asText()).isEqualTo("Example.docx");
        assertThat(release.raw.get("relations").get("to").get(0).get("type").asText()).isEqualTo("finish-to-start");
        assertThat(release.raw.get("relations").get("from").get(0).get("task").get("id").asText()).isEqualTo("1002");
        assertThat(release.raw.get("child").get(0).get("child").get(0).get("id").asText()).isEqualTo("1003");

        assertThat(tasks.get(2).assignee).as("NOONE is nobody").isNull();
        assertThat(tasks.get(3).assignee).isNull();
        assertThat(tasks.get(3).status).isEqualTo("open");
        assertThat(result.raw.get("data").size()).isEqualTo(2);
    }

    @Test
    void aSingleTaskKnowsItsParentFromItsPage() {
        TaskResult result = result(Operation.GET, "{\"provider\":\"worksection\",\"taskId\":\"1003\"}",
                "{\"status\":\"ok\",\"data\":{\"id\":\"1003\",\"name\":\"Sign\",\"page\":\"/project/100/1001/1002/1003/\","
                        + "\"status\":\"active\",\"date_end\":\"01.02.2024\"}}");
        assertThat(result.task.parentId).isEqualTo("1002");
        assertThat(result.task.dueDate).isEqualTo("2024-02-01");
        assertThat(result.taskId).isEqualTo("1003");
    }

    @Test
    void aCreateAnsweringOnlyAnIdStillNamesTheTask() {
        TaskResult result = result(Operation.CREATE, "{\"provider\":\"worksection\",\"project\":\"1\",\"title\":\"t\"}",
                "{\"status\":\"ok\",\"id\":4242}");
        assertThat(result.task.id).isEqualTo("4242");
        assertThat(result.taskId).isEqualTo("4242");
    }

    @ParameterizedTest
    @CsvSource({
        "4, Project is invalid",
        "5, Task is invalid",
        "8, Task is closed",
        "11, Email is invalid",
        "12, Task is already closed",
        "13, Task has open subtasks",
        "14, Parent task is closed",
        "16, Tag is invalid"})
    void businessErrorsInHttp200AreRejected(int code, String message) {
        TaskException e = failure(Operation.UPDATE, 200,
                "{\"status\":\"error\",\"status_code\":" + code + ",\"message\":\"" + message + "\"}");
        assertThat(e.reason()).isEqualTo(ErrorReason.REJECTED);
        assertThat(e.httpStatus()).isEqualTo(200);
        assertThat(e.getMessage()).isEqualTo("worksection: error " + code + ": " + message);
    }

    @Test
    void fieldRequiredCarriesItsDetails() {
        TaskException e = failure(Operation.CREATE, 200, Fixtures.text("worksection/field-required.response.json"));
        assertThat(e.reason()).isEqualTo(ErrorReason.REJECTED);
        assertThat(e.getMessage()).contains("error 10: Field is required (title)");
        assertThat(e.details().asText()).isEqualTo("title");
    }

    @Test
    void badHashIsUnauthorized() {
        TaskException e = failure(Operation.GET, 200, Fixtures.text("worksection/bad-hash.response.json"));
        assertThat(e.reason()).isEqualTo(ErrorReason.UNAUTHORIZED);
        assertThat(e.getMessage()).contains("error 2: Invalid hash");
    }

    @Test
    void nonSuccessStatusesClassifyAsUsual() {
        assertThat(failure(Operation.GET, 401, "{\"error\":\"invalid_token\",\"error_description\":\"Access token is expired\"}"))
                .satisfies(e -> {
                    assertThat(e.reason()).isEqualTo(ErrorReason.UNAUTHORIZED);
                    assertThat(e.getMessage()).contains("Access token is expired");
                });
        assertThat(failure(Operation.GET, 503, "<html>busy</html>").reason()).isEqualTo(ErrorReason.UNAVAILABLE);
        assertThat(failure(Operation.GET, 404, "nope").reason()).isEqualTo(ErrorReason.REJECTED);
        assertThat(failure(Operation.GET, 200, "<html>login</html>").reason()).isEqualTo(ErrorReason.REJECTED);
    }

    @Test
    void datesOfKnownShapesBecomeIso() {
        assertThat(WorksectionResponses.isoDate("2021-05-20 10:15")).isEqualTo("2021-05-20T10:15");
        assertThat(WorksectionResponses.isoDate("25.05.2021")).isEqualTo("2021-05-25");
        assertThat(WorksectionResponses.isoDate("2021-05-25")).isEqualTo("2021-05-25");
        assertThat(WorksectionResponses.isoDate("someday")).isEqualTo("someday");
    }
}
