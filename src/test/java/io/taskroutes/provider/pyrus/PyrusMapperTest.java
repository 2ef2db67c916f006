package io.taskroutes.provider.pyrus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import io.taskroutes.command.Json;
import io.taskroutes.command.Operation;
import io.taskroutes.errors.ErrorReason;
import io.taskroutes.errors.TaskException;
import io.taskroutes.provider.HttpRequestSpec;
import io.taskroutes.testsupport.Fixtures;

class PyrusMapperTest {

    private static String body(HttpRequestSpec request) {
        return new String((byte[]) request.body(), StandardCharsets.UTF_8);
    }

    @Test
    void plainTaskFromTheDocsBecomesTheDocumentedBody() throws Exception {
        HttpRequestSpec request = PyrusMapper.request(Fixtures.command(Fixtures.text("pyrus/create-plain.command.json"), Operation.CREATE));
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/tasks");
        assertThat(request.contentType()).startsWith("application/json");
        assertThat(Json.MAPPER.readTree(body(request))).isEqualTo(Fixtures.json("pyrus/create-plain.request.json"));
    }

    @Test
    void formTaskFromTheDocsBecomesTheDocumentedBody() throws Exception {
        HttpRequestSpec request = PyrusMapper.request(Fixtures.command(Fixtures.text("pyrus/create-form.command.json"), Operation.CREATE));
        assertThat(Json.MAPPER.readTree(body(request))).isEqualTo(Fixtures.json("pyrus/create-form.request.json"));
    }

    @Test
    void commentCloseBecomesActionFinished() throws Exception {
        HttpRequestSpec request = PyrusMapper.request(Fixtures.command(Fixtures.text("pyrus/comment.command.json"), Operation.COMMENT));
        assertThat(request.path()).isEqualTo("/tasks/11613/comments");
        assertThat(Json.MAPPER.readTree(body(request))).isEqualTo(Fixtures.json("pyrus/comment.request.json"));
    }

    @Test
    void canonicalFieldsMapToPyrusNamesAndNativeWins() throws Exception {
        String command = """
                {"provider":"pyrus","title":"Printer","text":"Help","dueDate":"2026-12-01","parentTaskId":"11611",
                 "assignee":{"email":"a@b.c"},"native":{"subject":"Native subject","list_ids":[7]}}""";
        var body = Json.MAPPER.readTree(body(PyrusMapper.request(Fixtures.command(command, Operation.CREATE))));
        assertThat(body.get("subject").asText()).isEqualTo("Native subject");
        assertThat(body.get("due_date").asText()).isEqualTo("2026-12-01");
        assertThat(body.get("parent_task_id").asLong()).isEqualTo(11611L);
        assertThat(body.get("responsible").get("email").asText()).isEqualTo("a@b.c");
        assertThat(body.get("list_ids").get(0).asInt()).isEqualTo(7);
    }

    @Test
    void reopenAndReassignOnComment() throws Exception {
        var body = Json.MAPPER.readTree(body(PyrusMapper.request(Fixtures.command(
                "{\"provider\":\"pyrus\",\"taskId\":1,\"action\":\"reopen\",\"assignee\":{\"id\":5},\"formattedText\":\"<b>x</b>\"}",
                Operation.COMMENT))));
        assertThat(body.get("action").asText()).isEqualTo("reopened");
        assertThat(body.get("reassign_to").get("id").asInt()).isEqualTo(5);
        assertThat(body.get("formatted_text").asText()).isEqualTo("<b>x</b>");
    }

    @Test
    void plainTaskWithoutTextIsInvalidNamingTheField() {
        assertThatThrownBy(() -> PyrusMapper.request(Fixtures.command("{\"provider\":\"pyrus\",\"title\":\"x\"}", Operation.CREATE)))
                .isInstanceOfSatisfying(TaskException.class, e -> {
                    assertThat(e.reason()).isEqualTo(ErrorReason.INVALID);
                    assertThat(e.getMessage()).contains("text");
                });
    }

    @Test
    void taskIdCannotChangeThePath() {
        HttpRequestSpec request = PyrusMapper.request(Fixtures.command("{\"provider\":\"pyrus\",\"taskId\":\"../admin\"}", Operation.DELETE));
        assertThat(request.path()).isEqualTo("/tasks/..%2Fadmin");
        HttpRequestSpec dots = PyrusMapper.request(Fixtures.command("{\"provider\":\"pyrus\",\"taskId\":\"..\"}", Operation.GET));
        assertThat(dots.path()).isEqualTo("/tasks/%2E%2E");
    }

    @Test
    void listUsesListIdOrInbox() {
        HttpRequestSpec list = PyrusMapper.request(Fixtures.command(
                "{\"provider\":\"pyrus\",\"filter\":{\"listId\":42,\"include_archived\":\"y\"},\"perPage\":10}", Operation.LIST));
        assertThat(list.method()).isEqualTo("GET");
        assertThat(list.pathAndQuery()).isEqualTo("/lists/42/tasks?include_archived=y&item_count=10");
        HttpRequestSpec inbox = PyrusMapper.request(Fixtures.command("{\"provider\":\"pyrus\"}", Operation.LIST));
        assertThat(inbox.pathAndQuery()).isEqualTo("/inbox");
    }
}
