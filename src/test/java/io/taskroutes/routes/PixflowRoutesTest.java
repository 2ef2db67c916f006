package io.taskroutes.routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;
import io.taskroutes.errors.ErrorReason;
import io.taskroutes.errors.TaskException;
import io.taskroutes.sandbox.ProviderSandbox;
import io.taskroutes.sandbox.RecordedRequest;
import io.taskroutes.testsupport.Direct;
import io.taskroutes.testsupport.SandboxBundle;
import io.taskroutes.testsupport.Fixtures;

/** Pixflow over direct, against the sandbox: exact requests, HTTP-200 errors, normalization. */
class PixflowRoutesTest {

    @RegisterExtension
    static final SandboxBundle env = new SandboxBundle(Map.of("tasks.kafka.enabled", "false"));

    @Test
    void deleteFromTheDocsIsOneFormPostWithTheBearerToken() {
        JsonNode result = Direct.call(env.bundle().template(), "task.delete", Fixtures.text("pixflow/delete.command.json"));

        assertThat(env.sandbox().requests("pixflow")).hasSize(1);
        RecordedRequest call = env.sandbox().requests("pixflow").get(0);
        assertThat(call.method()).isEqualTo("POST");
        assertThat(call.path()).isEqualTo("/pixflow/api/v1/task/delete");
        assertThat(call.header("Authorization")).isEqualTo("Bearer " + ProviderSandbox.PIXFLOW_TOKEN);
        assertThat(call.header("Content-Type")).startsWith("application/x-www-form-urlencoded");
        assertThat(call.bodyString()).isEqualTo("task_uid=gsvyz98boa");

        assertThat(result.get("commandId").asText()).isEqualTo("c-42");
        assertThat(result.get("operation").asText()).isEqualTo("task.delete");
        assertThat(result.get("provider").asText()).isEqualTo("pixflow");
        assertThat(result.get("taskId").asText()).isEqualTo("gsvyz98boa");
        assertThat(result.get("status").asText()).isEqualTo("ok");
        assertThat(result.get("raw").get("type").asText()).isEqualTo("success");
    }

    @Test
    void deleteOfMissingTaskIsRejectedAfterExactlyOneCall() {
        TaskException e = Direct.failure(env.bundle().template(), "task.delete", "{\"provider\":\"pixflow\",\"taskId\":\"nosuchtask\"}");
        assertThat(e.reason()).isEqualTo(ErrorReason.REJECTED);
        assertThat(e.getMessage()).contains("Задача не найдена");
        assertThat(e.provider()).isEqualTo("pixflow");
        assertThat(e.operation()).isEqualTo("task.delete");
        assertThat(e.httpStatus()).isEqualTo(200);
        assertThat(env.sandbox().requests("pixflow")).hasSize(1);
    }

    @Test
    void getAndListNormalizeStringNumbers() {
        JsonNode one = Direct.call(env.bundle().template(), "task.get", "{\"provider\":\"pixflow\",\"taskId\":\"gsvyz98boa\"}");
        assertThat(env.sandbox().requests("pixflow").get(0).path()).isEqualTo("/pixflow/api/v1/tasks");
        assertThat(env.sandbox().requests("pixflow").get(0).bodyString()).isEqualTo("task_uid=gsvyz98boa");
        assertThat(one.get("task").get("id").asText()).isEqualTo("gsvyz98boa");
        assertThat(one.get("task").get("status").asText()).isEqualTo("closed");
        assertThat(one.get("task").get("raw").get("status").asText()).isEqualTo("10");

        JsonNode all = Direct.call(env.bundle().template(), "task.list", "{\"provider\":\"pixflow\"}");
        assertThat(all.get("tasks").size()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void createUploadsTheImageAsMultipart() {
        String image = Base64.getEncoder().encodeToString("fake-jpeg-bytes".getBytes(StandardCharsets.UTF_8));
        JsonNode result = Direct.call(env.bundle().template(), "task.create",
                "{\"provider\":\"pixflow\",\"native\":{\"image\":\"" + image + "\",\"image_name\":\"a.jpg\",\"copies_amount\":2,\"image_names\":3}}");
        RecordedRequest call = env.sandbox().requests("pixflow").get(0);
        assertThat(call.path()).isEqualTo("/pixflow/api/v1/task-create/single");
        assertThat(call.header("Content-Type")).startsWith("multipart/form-data");
        assertThat(call.formParams()).containsEntry("copies_amount", "2").containsEntry("image_names", "3");
        assertThat(call.bodyString()).contains("fake-jpeg-bytes");
        String uid = result.get("task").get("id").asText();
        assertThat(uid).isNotBlank();
        assertThat(Direct.call(env.bundle().template(), "task.get", "{\"provider\":\"pixflow\",\"taskId\":\"" + uid + "\"}")
                .get("task").get("id").asText()).isEqualTo(uid);
    }

    @Test
    void unsupportedOperationIsRefusedWithoutACall() {
        TaskException e = Direct.failure(env.bundle().template(), "task.comment", "{\"provider\":\"pixflow\",\"taskId\":\"x\",\"text\":\"hi\"}");
        assertThat(e.reason()).isEqualTo(ErrorReason.UNSUPPORTED);
        assertThat(e.getMessage()).contains("pixflow does not support task.comment");
        assertThat(env.sandbox().requests("pixflow")).isEmpty();
    }
}
