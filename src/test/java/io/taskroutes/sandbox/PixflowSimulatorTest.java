package io.taskroutes.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PixflowSimulatorTest {

    private static final String TOKEN = ProviderSandbox.PIXFLOW_TOKEN;
    private static final byte[] IMAGE = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 0, 0x10, 'J', 'F', 'I', 'F',
            0x0D, 0x0A, 0x2D, 0x2D, (byte) 0xFF, (byte) 0xD9};

    private static ProviderSandbox sandbox;
    private static String api;
    private final SandboxClient client = new SandboxClient();

    @BeforeAll
    static void start() {
        sandbox = ProviderSandbox.start();
        api = sandbox.baseUrl("pixflow");
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    @BeforeEach
    void reset() {
        sandbox.reset();
    }

    @Test
    void deletesATask() throws Exception {
        SandboxClient.Answer deleted = client.postForm(api + "/task/delete", TOKEN, Map.of("task_uid", "gsvyz98boa"));

        assertThat(deleted.status()).isEqualTo(200);
        assertThat(deleted.json()).isEqualTo(SandboxClient.JSON.readTree("{\"type\":\"success\"}"));
        assertThat(sandbox.pixflow().status("gsvyz98boa")).isEmpty();
    }

    @Test
    void deletingAnUnknownTaskIsAnHttp200Error() throws Exception {
        SandboxClient.Answer missing = client.postForm(api + "/task/delete", TOKEN, Map.of("task_uid", "nosuchtask"));

        assertThat(missing.status()).isEqualTo(200);
        assertThat(missing.json()).isEqualTo(
                SandboxClient.JSON.readTree("{\"type\":\"error\",\"errors\":[\"Задача не найдена\"]}"));
    }

    @Test
    void aTaskInProgressCannotBeDeleted() throws Exception {
        SandboxClient.Answer busy = client.postMultipart(api + "/task/delete", TOKEN,
                Map.of("task_uid", "inprogress01"), null);

        assertThat(busy.status()).isEqualTo(200);
        assertThat(busy.json().get("type").asText()).isEqualTo("error");
        assertThat(busy.json().at("/errors/0").asText()).contains("процесс");
        assertThat(sandbox.pixflow().status("inprogress01")).contains("5");
    }

    @Test
    void listsTasksWithEveryNumberAsAString() throws Exception {
        sandbox.pixflow().seedTask("seeded0001", "15");
        SandboxClient.Answer list = client.postForm(api + "/tasks", TOKEN, Map.of());

        assertThat(list.status()).isEqualTo(200);
        assertThat(list.json().get("type").asText()).isEqualTo("success");
        JsonNode data = list.json().get("data");
        assertThat(data.isArray()).isTrue();
        assertThat(data).extracting(t -> t.get("uid").asText())
                .containsExactlyInAnyOrder("gsvyz98boa", "inprogress01", "seeded0001");
        for (JsonNode task : data) {
            assertThat(task.fieldNames()).toIterable().containsExactlyInAnyOrder("uid", "status", "files_amount",
                    "copies_amount", "total_credits", "progress", "results", "date");
            task.properties().forEach(field -> {
                if (field.getKey().equals("results")) {
                    assertThat(field.getValue().isArray()).isTrue();
                    field.getValue().forEach(url -> assertThat(url.isTextual()).isTrue());
                } else {
                    assertThat(field.getValue().isTextual()).as(field.getKey()).isTrue();
                }
            });
        }

        JsonNode one = client.postForm(api + "/tasks", TOKEN, Map.of("task_uid", "gsvyz98boa")).json();
        assertThat(one.get("data")).hasSize(1);
        assertThat(one.at("/data/0/status").asText()).isEqualTo("10");
        assertThat(one.at("/data/0/results")).isNotEmpty();

        SandboxClient.Answer unknown = client.postForm(api + "/tasks", TOKEN, Map.of("task_uid", "nosuchtask"));
        assertThat(unknown.status()).isEqualTo(200);
        assertThat(unknown.json().at("/errors/0").asText()).isEqualTo("Задача не найдена");
    }

    @Test
    void createsATaskFromAMultipartImage() throws Exception {
        SandboxClient.Answer created = client.postMultipart(api + "/task-create/single", TOKEN,
                Map.of("copies_amount", "3", "image_names", "2", "prefix", "кот_", "converting_format", "1",
                        "exif_mode", "0"), IMAGE);

        assertThat(created.status()).isEqualTo(200);
        assertThat(created.json().get("type").asText()).isEqualTo("success");
        String uid = created.json().at("/data/uid").asText();
        assertThat(uid).matches("[a-z0-9]{10}");

        JsonNode task = client.postForm(api + "/tasks", TOKEN, Map.of("task_uid", uid)).json().at("/data/0");
        assertThat(task.get("status").asText()).isEqualTo("0");
        assertThat(task.get("copies_amount").asText()).isEqualTo("3");

        RecordedRequest recorded = sandbox.requests("pixflow").get(0);
        assertThat(recorded.path()).isEqualTo("/pixflow/api/v1/task-create/single");
        assertThat(recorded.header("AUTHORIZATION")).isEqualTo("Bearer " + TOKEN);
        assertThat(recorded.formParams()).containsEntry("copies_amount", "3").containsEntry("prefix", "кот_")
                .doesNotContainKey("image");
        assertThat(FormData.parse(recorded.header("content-type"), recorded.body()))
                .filteredOn(FormData.Part::isFile).singleElement()
                .satisfies(part -> assertThat(part.data()).isEqualTo(IMAGE));
    }

    @Test
    void createRejectsMissingImageAndBadCopies() throws Exception {
        SandboxClient.Answer noImage = client.postMultipart(api + "/task-create/single", TOKEN,
                Map.of("copies_amount", "3"), null);
        assertThat(noImage.status()).isEqualTo(200);
        assertThat(noImage.json().get("type").asText()).isEqualTo("error");
        assertThat(noImage.json().get("errors")).hasSize(1);

        for (String copies : new String[] {"0", "501", "many"}) {
            SandboxClient.Answer bad = client.postMultipart(api + "/task-create/single", TOKEN,
                    Map.of("copies_amount", copies), IMAGE);
            assertThat(bad.status()).isEqualTo(200);
            assertThat(bad.json().get("type").asText()).as(copies).isEqualTo("error");
        }
        assertThat(client.postForm(api + "/tasks", TOKEN, Map.of()).json().get("data")).hasSize(2);
    }

    @Test
    void aWrongTokenIs401() throws Exception {
        SandboxClient.Answer answer = client.postForm(api + "/tasks", "wrong", Map.of());

        assertThat(answer.status()).isEqualTo(401);
        assertThat(answer.json().get("type").asText()).isEqualTo("error");
    }

    private String createJob() throws Exception {
        return client.postMultipart(api + "/task-create/single", TOKEN, Map.of("copies_amount", "2"), IMAGE)
                .json().at("/data/uid").asText();
    }

    private JsonNode job(String uid) throws Exception {
        return client.postForm(api + "/tasks", TOKEN, Map.of("task_uid", uid)).json().at("/data/0");
    }

    @Test
    void advanceMovesAJobThroughItsStatuses() throws Exception {
        String uid = createJob();
        assertThat(job(uid).get("status").asText()).isEqualTo("0");

        sandbox.pixflow().advance(uid, "5");
        JsonNode running = job(uid);
        assertThat(running.get("status").asText()).isEqualTo("5");
        assertThat(running.get("progress").asText()).isEqualTo("50");
        assertThat(running.get("results")).isEmpty();
        assertThat(client.postForm(api + "/task/delete", TOKEN, Map.of("task_uid", uid)).json().get("type").asText())
                .isEqualTo("error");

        sandbox.pixflow().advance(uid, "10");
        JsonNode done = job(uid);
        assertThat(done.get("status").asText()).isEqualTo("10");
        assertThat(done.get("progress").asText()).isEqualTo("100");
        assertThat(done.get("results")).hasSize(1);
        JsonNode listed = client.postForm(api + "/tasks", TOKEN, Map.of()).json().get("data");
        assertThat(listed).filteredOn(t -> t.get("uid").asText().equals(uid)).singleElement()
                .satisfies(t -> assertThat(t.get("status").asText()).isEqualTo("10"));

        String failing = createJob();
        sandbox.pixflow().advance(failing, "5");
        sandbox.pixflow().advance(failing, "15");
        assertThat(job(failing).get("status").asText()).isEqualTo("15");
        assertThat(job(failing).get("results")).isEmpty();

        assertThatThrownBy(() -> sandbox.pixflow().advance(uid, "7")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> sandbox.pixflow().advance("nosuchjob", "5")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void withAutoProgressCreatedJobsMoveAsTheClockMovesOn() throws Exception {
        Instant t0 = Instant.parse("2024-06-03T09:00:00Z");
        sandbox.clock(Clock.fixed(t0, ZoneOffset.UTC));
        sandbox.pixflow().autoProgress(Duration.ofSeconds(2));
        try {
            String uid = createJob();
            assertThat(job(uid).get("date").asText()).isEqualTo("2024-06-03 09:00:00");

            sandbox.clock(Clock.fixed(t0.plusSeconds(1), ZoneOffset.UTC));
            assertThat(job(uid).get("status").asText()).isEqualTo("0");
            sandbox.clock(Clock.fixed(t0.plusSeconds(3), ZoneOffset.UTC));
            assertThat(job(uid).get("status").asText()).isEqualTo("5");
            assertThat(job(uid).get("progress").asText()).isEqualTo("50");
            sandbox.clock(Clock.fixed(t0.plusSeconds(4), ZoneOffset.UTC));
            assertThat(job(uid).get("status").asText()).isEqualTo("10");
            assertThat(job(uid).get("results")).hasSize(1);
            assertThat(sandbox.pixflow().status("inprogress01")).contains("5");
        } finally {
            sandbox.pixflow().autoProgress(Duration.ZERO);
        }
    }
}
