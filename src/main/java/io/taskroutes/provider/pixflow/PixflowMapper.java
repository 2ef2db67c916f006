package io.taskroutes.provider.pixflow;

import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import org.apache.hc.client5.http.entity.mime.MultipartEntityBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpEntity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.taskroutes.command.Json;
import io.taskroutes.command.TaskCommand;
import io.taskroutes.errors.ErrorReason;
import io.taskroutes.errors.TaskException;
import io.taskroutes.provider.HttpRequestSpec;
import io.taskroutes.provider.ProviderErrors;

/** Canonical command to Pixflow request. Every Pixflow method is a POST with form fields (multipart for create). */
final class PixflowMapper {

    private PixflowMapper() {
    }

    static HttpRequestSpec request(TaskCommand command) {
        return switch (command.operation()) {
            case GET, DELETE -> form(command.operation() == io.taskroutes.command.Operation.GET ? "/tasks" : "/task/delete",
                    withTaskUid(command));
            case LIST -> form("/tasks", command.nativeOrEmpty().deepCopy());
            case CREATE -> create(command);
            default -> throw new IllegalStateException("pixflow has no " + command.operation());
        };
    }

    private static ObjectNode withTaskUid(TaskCommand command) {
        ObjectNode fields = Json.object().put("task_uid", command.taskId());
        return ProviderErrors.mergeNative(fields, command.nativeFields());
    }

    private static HttpRequestSpec form(String path, ObjectNode fields) {
        List<Map.Entry<String, String>> pairs = new ArrayList<>();
        fields.fields().forEachRemaining(e -> pairs.add(Map.entry(e.getKey(), ProviderErrors.formValue(e.getValue()))));
        return HttpRequestSpec.of("POST").path(path).formBody(pairs).build();
    }

    /** POST /task-create/single: the image travels base64-encoded in {@code native.image}, sent as a file part. */
    private static HttpRequestSpec create(TaskCommand command) {
        ObjectNode nativeFields = command.nativeOrEmpty();
        JsonNode image = nativeFields.get("image");
        if (image == null || !image.isTextual() || image.asText().isBlank()) {
            throw invalid(command, "native.image (the image, base64-encoded) is required for pixflow task.create");
        }
        byte[] bytes;
        try {
            bytes = Base64.getMimeDecoder().decode(image.asText());
        } catch (IllegalArgumentException e) {
            throw invalid(command, "native.image is not valid base64");
        }
        String name = nativeFields.hasNonNull("image_name") ? nativeFields.get("image_name").asText() : "image.jpg";
        // EXTENDED mode: UTF-8 part names and file names (RFC 7578), as PHP and curl -F send them
        MultipartEntityBuilder multipart = MultipartEntityBuilder.create()
                .setMode(org.apache.hc.client5.http.entity.mime.HttpMultipartMode.EXTENDED)
                .setContentType(ContentType.create("multipart/form-data", (java.nio.charset.Charset) null))
                .addBinaryBody("image", bytes, ContentType.APPLICATION_OCTET_STREAM, name);
        Iterator<Map.Entry<String, JsonNode>> it = nativeFields.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getKey().equals("image") && !e.getKey().equals("image_name")) {
                multipart.addTextBody(e.getKey(), ProviderErrors.formValue(e.getValue()),
                        ContentType.TEXT_PLAIN.withCharset(java.nio.charset.StandardCharsets.UTF_8));
            }
        }
        HttpEntity entity = multipart.build();
        return HttpRequestSpec.of("POST").path("/task-create/single").body(entity, entity.getContentType()).build();
    }

    private static TaskException invalid(TaskCommand command, String message) {
        return new TaskException(ErrorReason.INVALID, message).withProvider(command.provider()).withOperation(command.operation().wireName());
    }
}
