package io.taskroutes.provider.taskapi;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.taskroutes.command.Json;
import io.taskroutes.command.Operation;
import io.taskroutes.command.TaskResult;
import io.taskroutes.provider.HttpRequestSpec;
import io.taskroutes.provider.HttpResponseView;
import io.taskroutes.testsupport.Fixtures;

class TaskApiMapperTest {

    @Test
    void indexFromTheDocsIsTheDocumentedBody() throws Exception {
        HttpRequestSpec request = TaskApiMapper.request(Fixtures.command(Fixtures.text("taskapi/index.command.json"), Operation.LIST));
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/v2/task/index");
        assertThat(Json.MAPPER.readTree((byte[]) request.body())).isEqualTo(Fixtures.json("taskapi/index.request.json"));
    }

    @Test
    void deleteSendsForceFalseUnlessAsked() {
        assertThat(TaskApiMapper.request(Fixtures.command("{\"provider\":\"taskapi\",\"taskId\":\"task 1/x\"}", Operation.DELETE)).pathAndQuery())
                .isEqualTo("/v2/task/delete/task%201%2Fx?force=false");
        assertThat(TaskApiMapper.request(Fixtures.command("{\"provider\":\"taskapi\",\"taskId\":\"t\",\"force\":true}", Operation.DELETE)).pathAndQuery())
                .isEqualTo("/v2/task/delete/t?force=true");
    }

    @Test
    void updateMapsStatusAndAssigneeAndNative() throws Exception {
        HttpRequestSpec request = TaskApiMapper.request(Fixtures.command(
                "{\"provider\":\"taskapi\",\"taskId\":\"task-1\",\"status\":\"completed\",\"assignee\":{\"id\":\"user-9\"},\"native\":{\"response\":{\"ok\":true}}}",
                Operation.UPDATE));
        assertThat(request.method()).isEqualTo("PUT");
        assertThat(request.path()).isEqualTo("/v2/task/update/task-1");
        assertThat(Json.MAPPER.readTree((byte[]) request.body()))
                .isEqualTo(Json.MAPPER.readTree("{\"user_id\":\"user-9\",\"status\":\"completed\",\"response\":{\"ok\":true}}"));
    }

    @Test
    void theDocumentedTaskIsNormalized() {
        TaskResult result = TaskApiResponses.toResult(Fixtures.command("{\"provider\":\"taskapi\",\"taskId\":\"task-1\"}", Operation.GET),
                new HttpResponseView(200, Map.of(), Fixtures.text("taskapi/view.response.json").getBytes(StandardCharsets.UTF_8)));
        assertThat(result.task.id).isEqualTo("task-1");
        assertThat(result.task.title).isEqualTo("ImportHandler");
        assertThat(result.task.status).isEqualTo("pending");
        assertThat(result.task.assignee.get("id").asText()).isEqualTo("user-1");
        assertThat(result.task.createdAt).isEqualTo("2024-01-01");
        assertThat(result.task.raw.get("handler").asText()).isEqualTo("ImportHandler");
        assertThat(TaskApiResponses.timestamp(Json.MAPPER.getNodeFactory().numberNode(1704067200L))).isEqualTo("2024-01-01T00:00:00Z");
    }
}
