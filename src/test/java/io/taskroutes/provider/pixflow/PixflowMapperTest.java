package io.taskroutes.provider.pixflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.apache.hc.core5.http.HttpEntity;
import org.junit.jupiter.api.Test;

import io.taskroutes.command.Operation;
import io.taskroutes.errors.ErrorReason;
import io.taskroutes.errors.TaskException;
import io.taskroutes.provider.HttpRequestSpec;
import io.taskroutes.testsupport.Fixtures;

class PixflowMapperTest {

    @Test
    void deleteFromTheDocsIsAFormPostWithTaskUid() {
        HttpRequestSpec request = PixflowMapper.request(Fixtures.command(Fixtures.text("pixflow/delete.command.json"), Operation.DELETE));
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/task/delete");
        assertThat(request.contentType()).startsWith("application/x-www-form-urlencoded");
        assertThat(new String((byte[]) request.body(), StandardCharsets.UTF_8)).isEqualTo(Fixtures.text("pixflow/delete.request.form"));
    }

    @Test
    void getAndListPostToTasks() {
        HttpRequestSpec get = PixflowMapper.request(Fixtures.command("{\"provider\":\"pixflow\",\"taskId\":\"abc\"}", Operation.GET));
        assertThat(get.path()).isEqualTo("/tasks");
        assertThat(new String((byte[]) get.body(), StandardCharsets.UTF_8)).isEqualTo("task_uid=abc");
        HttpRequestSpec list = PixflowMapper.request(Fixtures.command("{\"provider\":\"pixflow\"}", Operation.LIST));
        assertThat(list.path()).isEqualTo("/tasks");
        assertThat(new String((byte[]) list.body(), StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void createSendsTheImageAsAFilePartAndNativeFieldsAsTextParts() throws Exception {
        String image = Base64.getEncoder().encodeToString("JPEGDATA".getBytes(StandardCharsets.UTF_8));
        HttpRequestSpec request = PixflowMapper.request(Fixtures.command(
                "{\"provider\":\"pixflow\",\"native\":{\"image\":\"" + image + "\",\"image_name\":\"cat.jpg\",\"copies_amount\":3,\"prefix\":\"cat\"}}",
                Operation.CREATE));
        assertThat(request.path()).isEqualTo("/task-create/single");
        assertThat(request.contentType()).startsWith("multipart/form-data; boundary=");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ((HttpEntity) request.body()).writeTo(out);
        String multipart = out.toString(StandardCharsets.UTF_8);
        assertThat(multipart).contains("name=\"image\"; filename=\"cat.jpg\"").contains("JPEGDATA")
                .contains("name=\"copies_amount\"").contains("\r\n\r\n3\r\n")
                .contains("name=\"prefix\"").doesNotContain("image_name");
    }

    @Test
    void createWithoutImageIsInvalidNamingTheField() {
        assertThatThrownBy(() -> PixflowMapper.request(Fixtures.command("{\"provider\":\"pixflow\",\"native\":{\"copies_amount\":3}}", Operation.CREATE)))
                .isInstanceOfSatisfying(TaskException.class, e -> {
                    assertThat(e.reason()).isEqualTo(ErrorReason.INVALID);
                    assertThat(e.getMessage()).contains("native.image");
                });
    }
}
