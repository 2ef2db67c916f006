package io.taskroutes.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TaskApiPollingTest {

    private static final Instant T1 = Instant.parse("2024-06-03T09:15:42.600Z");
    private static final String TOKEN = TaskApiSimulator.TOKEN;

    private static ProviderSandbox sandbox;
    private static String api;
    private final SandboxClient client = new SandboxClient();

    @BeforeAll
    static void start() {
        sandbox = ProviderSandbox.start();
        api = sandbox.baseUrl("taskapi") + "/v2/task";
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    @BeforeEach
    void reset() {
        sandbox.reset();
    }

    private SandboxClient.Answer put(String url, String json) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + TOKEN)
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8)));
    }

    private List<String> ids(String json) throws Exception {
        SandboxClient.Answer answer = client.postJson(api + "/index", TOKEN, json);
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        answer.json().forEach(t -> ids.add(t.get("task_id").asText()));
        return ids;
    }

    private static String since(String time, String sort) {
        return "{\"filter\":{\"updated_at\":{\"gte\":\"" + time + "\"}},\"sort\":\"" + sort + "\"}";
    }

    @Test
    void updatedAtIsAUtcTimestampThatMovesOnEveryChange() throws Exception {
        sandbox.clock(Clock.fixed(T1, ZoneOffset.UTC));
        SandboxClient.Answer created = client.postJson(api + "/create", TOKEN, "{\"handler\":\"ExportHandler\",\"user_id\":\"user-2\"}");
        assertThat(created.status()).isEqualTo(201);
        String id = created.json().get("task_id").asText();
        assertThat(created.json().get("created_at").asText()).isEqualTo("2024-06-03 09:15:42");
        assertThat(created.json().get("updated_at").asText()).isEqualTo("2024-06-03 09:15:42");

        assertThat(put(api + "/update/" + id, "{\"status\":\"running\"}").json().get("updated_at").asText())
                .isEqualTo("2024-06-03 09:15:43");
        assertThat(put(api + "/update/" + id, "{\"status\":\"completed\"}").json().get("updated_at").asText())
                .isEqualTo("2024-06-03 09:15:44");
        assertThat(client.get(api + "/view/task-1", TOKEN).json().get("updated_at").asText())
                .isEqualTo("2024-01-02 00:00:00");
    }

    @Test
    void indexFiltersOnUpdatedAtAtOrAfterAndSortsByIt() throws Exception {
        sandbox.clock(Clock.fixed(T1, ZoneOffset.UTC));
        String id = client.postJson(api + "/create", TOKEN, "{\"handler\":\"ExportHandler\",\"user_id\":\"user-2\"}")
                .json().get("task_id").asText();
        sandbox.clock(Clock.fixed(T1.plusSeconds(10), ZoneOffset.UTC));
        put(api + "/update/task-3", "{\"status\":\"completed\"}");

        assertThat(ids(since("2024-06-03 09:15:42", "updated_at"))).containsExactly(id, "task-3");
        assertThat(ids(since("2024-06-03 09:15:42", "-updated_at"))).containsExactly("task-3", id);
        assertThat(ids(since("2024-06-03 09:15:43", "updated_at"))).containsExactly("task-3");
        assertThat(ids(since("2024-06-03 09:15:52", "updated_at"))).containsExactly("task-3");
        assertThat(ids(since("2024-06-03 09:15:53", "updated_at"))).isEmpty();
        assertThat(ids(since("2024-06-03", "updated_at"))).containsExactly(id, "task-3");
        assertThat(ids(since("2024-06-03T09:15:50Z", "updated_at"))).containsExactly("task-3");
        assertThat(ids("{\"filter\":{\"updated_at\":{\"gte\":1717406150}},\"sort\":\"updated_at\"}")).containsExactly("task-3");
        assertThat(ids("{\"filter\":{\"status\":\"pending\",\"updated_at\":{\"gte\":\"2024-06-03 09:15:42\"}},"
                + "\"sort\":\"updated_at,task_id\"}")).containsExactly(id);
        assertThat(ids("{\"filter\":{\"and\":[{\"updated_at\":{\"gte\":\"2024-02-13\"}},{\"updated_at\":{\"lt\":\"2024-02-15\"}}]},"
                + "\"sort\":\"updated_at\"}")).containsExactly("task-43", "task-44");
        assertThat(ids(since("2024-02-14 00:00:00", "updated_at")).subList(0, 4))
                .containsExactly("task-44", "task-45", id, "task-3");

        SandboxClient.Answer paged = client.postJson(api + "/index", TOKEN,
                "{\"filter\":{\"updated_at\":{\"gte\":\"2024-02-14 00:00:00\"}},\"sort\":\"updated_at\",\"per-page\":2,\"page\":2}");
        assertThat(paged.header("X-Pagination-Total-Count")).isEqualTo("4");
        assertThat(paged.header("X-Pagination-Page-Count")).isEqualTo("2");
        assertThat(paged.json()).extracting(t -> t.get("task_id").asText()).containsExactly(id, "task-3");
    }

    @Test
    void anUnknownFilterOperatorIs422() throws Exception {
        SandboxClient.Answer answer = client.postJson(api + "/index", TOKEN,
                "{\"filter\":{\"updated_at\":{\">=\":\"2024-06-03 09:15:42\"}}}");

        assertThat(answer.status()).isEqualTo(422);
        assertThat(answer.json().at("/0/field").asText()).isEqualTo("filter");
        assertThat(answer.json().at("/0/message").asText()).contains("updated_at");
    }
}
