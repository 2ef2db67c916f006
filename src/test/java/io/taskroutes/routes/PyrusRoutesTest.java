package io.taskroutes.routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;
import io.taskroutes.command.Json;
import io.taskroutes.errors.ErrorReason;
import io.taskroutes.errors.TaskException;
import io.taskroutes.sandbox.RecordedRequest;
import io.taskroutes.testsupport.Direct;
import io.taskroutes.testsupport.SandboxBundle;
import io.taskroutes.testsupport.Fixtures;

/** Pyrus over direct: the exact requests of the seed's examples and the login flow, against the sandbox. */
class PyrusRoutesTest {

    @RegisterExtension
    static final SandboxBundle env = new SandboxBundle(Map.of("tasks.kafka.enabled", "false"));

    private List<RecordedRequest> apiCalls() {
        return env.sandbox().requests("pyrus").stream().filter(r -> !r.path().endsWith("/auth")).toList();
    }

    private String bearer() {
        return apiCalls().get(0).header("Authorization");
    }

    @Test
    void createPlainTaskSendsTheDocumentedBodyAndNormalizesTheAnswer() throws Exception {
        JsonNode result = Direct.call(env.bundle().template(), "task.create", Fixtures.text("pyrus/create-plain.command.json"));

        RecordedRequest call = apiCalls().get(0);
        assertThat(call.method()).isEqualTo("POST");
        assertThat(call.path()).isEqualTo("/pyrus/v4/tasks");
        assertThat(call.header("Authorization")).startsWith("Bearer ");
        assertThat(call.header("Content-Type")).startsWith("application/json");
        assertThat(Json.MAPPER.readTree(call.body())).isEqualTo(Fixtures.json("pyrus/create-plain.request.json"));

        assertThat(result.get("status").asText()).isEqualTo("ok");
        assertThat(result.get("operation").asText()).isEqualTo("task.create");
        assertThat(result.get("provider").asText()).isEqualTo("pyrus");
        JsonNode task = result.get("task");
        assertThat(task.get("text").asText()).isEqualTo("Help with printer");
        assertThat(task.get("status").asText()).isEqualTo("open");
        assertThat(task.get("assignee").get("id").asInt()).isEqualTo(1733);
        assertThat(task.get("author")).isNotNull();
        assertThat(task.get("createdAt").asText()).endsWith("Z");
        assertThat(result.get("taskId").asText()).isEqualTo(task.get("id").asText());
        assertThat(result.get("raw").get("task")).isNotNull();
    }

    @Test
    void createFormTaskSendsTheDocumentedBody() throws Exception {
        JsonNode result = Direct.call(env.bundle().template(), "task.create", Fixtures.text("pyrus/create-form.command.json"));
        assertThat(Json.MAPPER.readTree(apiCalls().get(0).body())).isEqualTo(Fixtures.json("pyrus/create-form.request.json"));
        assertThat(result.get("task").get("raw").get("form_id").asInt()).isEqualTo(1345);
    }

    @Test
    void commentWithCloseFinishesTheTask() throws Exception {
        JsonNode result = Direct.call(env.bundle().template(), "task.comment", Fixtures.text("pyrus/comment.command.json"));
        RecordedRequest call = apiCalls().get(0);
        assertThat(call.method()).isEqualTo("POST");
        assertThat(call.path()).isEqualTo("/pyrus/v4/tasks/11613/comments");
        assertThat(Json.MAPPER.readTree(call.body())).isEqualTo(Fixtures.json("pyrus/comment.request.json"));
        assertThat(result.get("task").get("status").asText()).isEqualTo("closed");
        assertThat(result.get("taskId").asText()).isEqualTo("11613");
    }

    @Test
    void getNormalizesTheSeedTask() {
        JsonNode result = Direct.call(env.bundle().template(), "task.get", "{\"provider\":\"pyrus\",\"taskId\":11611}");
        RecordedRequest call = apiCalls().get(0);
        assertThat(call.method()).isEqualTo("GET");
        assertThat(call.path()).isEqualTo("/pyrus/v4/tasks/11611");
        assertThat(result.get("task").get("id").asText()).isEqualTo("11611");
        assertThat(result.get("task").get("text").asText()).isEqualTo("Help with printer");
    }

    @Test
    void deleteAndList() {
        JsonNode deleted = Direct.call(env.bundle().template(), "task.delete", "{\"provider\":\"pyrus\",\"taskId\":\"11611\"}");
        assertThat(apiCalls().get(0).method()).isEqualTo("DELETE");
        assertThat(apiCalls().get(0).path()).isEqualTo("/pyrus/v4/tasks/11611");
        assertThat(deleted.get("raw").get("deleted").asBoolean()).isTrue();

        JsonNode inbox = Direct.call(env.bundle().template(), "task.list", "{\"provider\":\"pyrus\",\"perPage\":5}");
        assertThat(apiCalls().get(1).path()).isEqualTo("/pyrus/v4/inbox");
        assertThat(apiCalls().get(1).query()).isEqualTo("item_count=5");
        assertThat(inbox.get("tasks").isArray()).isTrue();
        assertThat(inbox.get("page").get("hasMore").asBoolean()).isFalse();

        Direct.call(env.bundle().template(), "task.list", "{\"provider\":\"pyrus\",\"filter\":{\"listId\":7}}");
        assertThat(apiCalls().get(2).path()).isEqualTo("/pyrus/v4/lists/7/tasks");
    }

    @Test
    void tokenIsObtainedOnceAndReused() {
        Direct.call(env.bundle().template(), "task.get", "{\"provider\":\"pyrus\",\"taskId\":11611}");
        env.sandbox().reset();
        Direct.call(env.bundle().template(), "task.get", "{\"provider\":\"pyrus\",\"taskId\":11613}");
        Direct.call(env.bundle().template(), "task.get", "{\"provider\":\"pyrus\",\"taskId\":11611}");
        assertThat(env.sandbox().pyrus().authCalls()).isZero();
        assertThat(apiCalls()).hasSize(2);
        assertThat(apiCalls().get(0).header("Authorization")).startsWith("Bearer ").isEqualTo(apiCalls().get(1).header("Authorization"));
    }

    @Test
    void expiredTokenIsExchangedOnceMoreAndTheCallRetried() {
        Direct.call(env.bundle().template(), "task.get", "{\"provider\":\"pyrus\",\"taskId\":11611}");
        String first = bearer();
        int authCalls = env.sandbox().pyrus().authCalls();
        env.sandbox().reset();
        env.sandbox().pyrus().expireTokens();

        JsonNode result = Direct.call(env.bundle().template(), "task.get", "{\"provider\":\"pyrus\",\"taskId\":11611}");

        assertThat(result.get("status").asText()).isEqualTo("ok");
        assertThat(env.sandbox().pyrus().authCalls()).isEqualTo(authCalls + 1);
        assertThat(apiCalls()).hasSize(2);
        assertThat(apiCalls().get(0).header("Authorization")).isEqualTo(first);
        assertThat(apiCalls().get(1).header("Authorization")).isNotEqualTo(first);
    }

    @Test
    void aTaskIdCannotChangeThePathOnTheWire() {
        Direct.failure(env.bundle().template(), "task.delete", "{\"provider\":\"pyrus\",\"taskId\":\"../admin\"}");
        assertThat(apiCalls()).extracting(RecordedRequest::path).containsOnly("/pyrus/v4/tasks/..%2Fadmin");
    }

    @Test
    void pyrusErrorCodeReachesTheMessage() {
        TaskException e = Direct.failure(env.bundle().template(), "task.create", "{\"provider\":\"pyrus\",\"text\":\"x\",\"native\":{\"due_date\":\"2026-01-01\",\"due\":\"2026-01-01T10:00:00Z\"}}");
        assertThat(e.reason()).isEqualTo(ErrorReason.REJECTED);
        assertThat(e.httpStatus()).isEqualTo(400);
        assertThat(e.getMessage()).contains("either_due_date_or_due_can_be_set");
        assertThat(apiCalls()).hasSize(1);
    }
}
