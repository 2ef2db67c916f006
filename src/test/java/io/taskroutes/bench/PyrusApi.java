package io.taskroutes.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.taskroutes.sandbox.ProviderSandbox;

/**
 * The one provider call of the workload, as the bundle makes it (provider/pyrus/PyrusMapper, PyrusLoginAuth,
 * dispatch/HttpMessages): {@code POST {base}/tasks/{taskId}/comments} with {@code {"text": ...}},
 * {@code Content-Type: application/json; charset=UTF-8}, {@code Accept: application/json} and {@code Authorization: Bearer <token>},
 * the token obtained once from the auth URL with the bot login and security key. The baselines use this so all
 * three implementations send the same requests.
 */
record PyrusApi(String baseUrl, String authUrl, String login, String securityKey) {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String CONTENT_TYPE = "application/json; charset=UTF-8";

    static PyrusApi of(ProviderSandbox sandbox) {
        Map<String, String> p = sandbox.clientProperties();
        return new PyrusApi(p.get("tasks.pyrus.base-url"), p.get("tasks.pyrus.auth-url"), p.get("tasks.pyrus.login"),
                p.get("tasks.pyrus.security-key"));
    }

    /** The command fields the call needs, read from the canonical command JSON. */
    record Comment(String commandId, String taskId, String text) {
        static Comment parse(byte[] json) throws IOException {
            JsonNode c = JSON.readTree(json);
            return new Comment(c.path("id").asText(), c.path("taskId").asText(), c.path("text").asText());
        }
    }

    /** Exchanges login + security key for an access token (one call, as the bundle's first command does). */
    String accessToken(HttpClient http) {
        try {
            byte[] body = JSON.writeValueAsBytes(Map.of("login", login, "security_key", securityKey));
            HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(URI.create(authUrl))
                    .timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json").header("Accept", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
            String token = JSON.readTree(response.body()).path("access_token").asText("");
            if (response.statusCode() != 200 || token.isEmpty()) {
                throw new IllegalStateException("pyrus auth answered " + response.statusCode());
            }
            return token;
        } catch (IOException e) {
            throw new IllegalStateException("pyrus auth failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** {@code /tasks/{taskId}/comments}, relative to the base URL. */
    static String commentPath(String taskId) {
        return "/tasks/" + taskId + "/comments";
    }

    static byte[] commentBody(String text) {
        try {
            return JSON.writeValueAsBytes(Map.of("text", text));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The request the bundle sends for a comment command. */
    HttpRequest commentRequest(Comment c, String token) {
        return HttpRequest.newBuilder(URI.create(baseUrl + commentPath(c.taskId())))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", CONTENT_TYPE)
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(commentBody(c.text())))
                .build();
    }
}
