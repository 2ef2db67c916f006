package io.taskroutes.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WorksectionEventsTest {

    private static final Instant T0 = Instant.parse("2024-06-03T09:00:00Z");
    private static final Duration WAIT = Duration.ofSeconds(5);

    private static ProviderSandbox sandbox;
    private static WebhookReceiver receiver;
    private static String api;
    private final SandboxClient client = new SandboxClient();

    @BeforeAll
    static void start() {
        sandbox = ProviderSandbox.start();
        receiver = WebhookReceiver.start();
        api = sandbox.baseUrl("worksection") + "/api/admin/v2/";
    }

    @AfterAll
    static void stop() {
        sandbox.close();
        receiver.close();
    }

    @BeforeEach
    void reset() {
        sandbox.webhooks(null);
        sandbox.reset();
        receiver.clear();
    }

    /** Calls an admin API action signed as Worksection wants: md5(query + api key) as the last parameter. */
    private JsonNode call(String action, Map<String, String> params) throws Exception {
        Map<String, String> all = new LinkedHashMap<>();
        all.put("action", action);
        all.putAll(params);
        String query = all.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        SandboxClient.Answer answer = client.get(api + "?" + query + "&hash="
                + WorksectionSimulator.md5(query + WorksectionSimulator.API_KEY), null);
        assertThat(answer.status()).isEqualTo(200);
        return answer.json();
    }

    private void at(Instant instant) {
        sandbox.clock(Clock.fixed(instant, ZoneOffset.UTC));
    }

    @Test
    void getEventsNeedsAValidPeriod() throws Exception {
        JsonNode missing = call("get_events", Map.of());
        assertThat(missing.get("status").asText()).isEqualTo("error");
        assertThat(missing.get("status_code").asInt()).isEqualTo(10);
        assertThat(missing.get("message_details").asText()).isEqualTo("period");

        for (String invalid : List.of("0m", "361m", "0h", "73h", "0d", "31d", "5", "h", "5w", "1.5h", " ")) {
            JsonNode answer = call("get_events", Map.of("period", invalid));
            assertThat(answer.get("status").asText()).as(invalid).isEqualTo("error");
            assertThat(answer.get("status_code").asInt()).as(invalid).isEqualTo(10);
        }
        for (String valid : List.of("1m", "360m", "1h", "72h", "1d", "30d")) {
            JsonNode answer = call("get_events", Map.of("period", valid));
            assertThat(answer.get("status").asText()).as(valid).isEqualTo("ok");
            assertThat(answer.get("data").isArray()).as(valid).isTrue();
        }
        assertThat(call("get_events", Map.of("period", "1h", "id_project", "999")).get("status_code").asInt())
                .isEqualTo(4);
    }

    @Test
    void getEventsListsTheChangesWithinThePeriodOldestFirst() throws Exception {
        at(T0);
        String id = call("post_task", Map.of("id_project", "100", "title", "Ship it", "text", "Soon",
                "email_user_to", "bob@sandbox.local")).at("/data/id").asText();
        at(T0.plus(Duration.ofHours(2)));
        call("update_task", Map.of("id_task", id, "title", "Ship it now", "priority", "7"));
        String commentId = call("post_comment", Map.of("id_task", id, "text", "On it")).at("/data/id").asText();
        at(T0.plus(Duration.ofHours(3)).plusSeconds(30));
        call("complete_task", Map.of("id_task", id));
        call("reopen_task", Map.of("id_task", id));
        call("post_task", Map.of("id_project", "200", "title", "Elsewhere"));

        JsonNode all = call("get_events", Map.of("period", "4h"));
        assertThat(all.get("status").asText()).isEqualTo("ok");
        assertThat(all.get("data")).extracting(e -> e.get("action").asText() + " " + e.at("/object/type").asText())
                .containsExactly("post task", "update task", "post comment", "close task", "reopen task", "post task");

        JsonNode post = all.at("/data/0");
        assertThat(post.get("object")).isEqualTo(SandboxClient.JSON.readTree(
                "{\"type\":\"task\",\"id\":\"" + id + "\",\"page\":\"/project/100/" + id + "/\"}"));
        assertThat(post.get("date_added").asText()).isEqualTo("2024-06-03 09:00");
        assertThat(post.get("user_from")).isEqualTo(SandboxClient.JSON.readTree(
                "{\"id\":\"101\",\"email\":\"alice@sandbox.local\",\"name\":\"Alice\"}"));
        assertThat(post.at("/new/name").asText()).isEqualTo("Ship it");
        assertThat(post.at("/new/user_to/email").asText()).isEqualTo("bob@sandbox.local");
        assertThat(post.get("old")).isEmpty();

        JsonNode update = all.at("/data/1");
        assertThat(update.get("date_added").asText()).isEqualTo("2024-06-03 11:00");
        assertThat(update.get("new")).isEqualTo(SandboxClient.JSON.readTree("{\"name\":\"Ship it now\",\"priority\":\"7\"}"));
        assertThat(update.get("old")).isEqualTo(SandboxClient.JSON.readTree("{\"name\":\"Ship it\",\"priority\":\"0\"}"));

        JsonNode comment = all.at("/data/2");
        assertThat(comment.get("object")).isEqualTo(SandboxClient.JSON.readTree(
                "{\"type\":\"comment\",\"id\":\"" + commentId + "\",\"page\":\"/project/100/" + id + "/\"}"));
        assertThat(comment.get("new")).isEqualTo(SandboxClient.JSON.readTree("{\"text\":\"On it\"}"));

        assertThat(all.at("/data/3/new/status").asText()).isEqualTo("done");
        assertThat(all.at("/data/3/old/status").asText()).isEqualTo("active");
        assertThat(all.at("/data/3/date_added").asText()).isEqualTo("2024-06-03 12:00");
        assertThat(all.at("/data/4/new/status").asText()).isEqualTo("active");

        // now is T0+3h00m30s: 2h reaches back to T0+1h00m30s, 180m to T0+0h00m30s
        assertThat(call("get_events", Map.of("period", "2h")).get("data")).extracting(e -> e.get("action").asText())
                .containsExactly("update", "post", "close", "reopen", "post");
        assertThat(call("get_events", Map.of("period", "180m")).get("data")).hasSize(5);
        assertThat(call("get_events", Map.of("period", "1m")).get("data")).hasSize(3);
        assertThat(call("get_events", Map.of("period", "1d", "id_project", "200")).get("data"))
                .singleElement().satisfies(e -> assertThat(e.at("/new/name").asText()).isEqualTo("Elsewhere"));
        assertThat(sandbox.worksection().events()).hasSize(6);
    }

    @Test
    void failedCallsAndUnchangedUpdatesRecordNoEvent() throws Exception {
        call("complete_task", Map.of("id_task", "1001")); // already closed: error 12
        call("update_task", Map.of("id_task", "1004", "title", "Announce the release"));
        call("post_comment", Map.of("id_task", "1004"));

        assertThat(call("get_events", Map.of("period", "1h")).get("data")).isEmpty();
    }

    @Test
    void eachChangeIsPostedAsAOneItemArrayWithBasicAuth() throws Exception {
        sandbox.webhooks(receiver.url());
        String id = call("post_task", Map.of("id_project", "100", "title", "Hooked")).at("/data/id").asText();
        call("post_comment", Map.of("id_task", id, "text", "First"));
        call("complete_task", Map.of("id_task", id));

        await().atMost(WAIT).until(() -> receiver.received("worksection").size() == 3);
        List<WebhookReceiver.Received> received = receiver.received("worksection");
        JsonNode events = call("get_events", Map.of("period", "1h")).get("data");
        for (int i = 0; i < 3; i++) {
            WebhookReceiver.Received hook = received.get(i);
            assertThat(hook.json().isArray()).isTrue();
            assertThat(hook.json()).containsExactly(events.get(i));
            assertThat(hook.header("Authorization")).isEqualTo("Basic " + Base64.getEncoder().encodeToString(
                    (ProviderSandbox.WORKSECTION_WEBHOOK_USER + ":" + ProviderSandbox.WORKSECTION_WEBHOOK_PASSWORD)
                            .getBytes(StandardCharsets.UTF_8)));
            assertThat(hook.header("Content-Type")).startsWith("application/json");
        }
        await().atMost(WAIT).until(() -> sandbox.webhookDeliveries().size() == 3);
        assertThat(sandbox.webhookDeliveries()).allSatisfy(d -> {
            assertThat(d.provider()).isEqualTo("worksection");
            assertThat(d.url()).isEqualTo(receiver.url() + "/worksection");
            assertThat(d.succeeded()).isTrue();
            assertThat(d.status()).isEqualTo(200);
            assertThat(d.retry()).isZero();
        });
        assertThat(sandbox.webhookDeliveries().get(1).body()).isEqualTo(received.get(1).bodyString());
        assertThat(sandbox.clientProperties())
                .containsEntry("tasks.worksection.events.webhook-user", ProviderSandbox.WORKSECTION_WEBHOOK_USER)
                .containsEntry("tasks.worksection.events.webhook-password", ProviderSandbox.WORKSECTION_WEBHOOK_PASSWORD);
    }

    @Test
    void anAnswerOtherThan200StatusOkIsAnErrorWithoutRetry() throws Exception {
        sandbox.webhooks(receiver.url());
        receiver.answerNext("worksection", 1, 200, "{\"status\":\"ok\"}").answerNext("worksection", 1, 500, "")
                .answerNext("worksection", 1, 204, "");
        for (String title : List.of("one", "two", "three", "four")) {
            call("post_task", Map.of("id_project", "100", "title", title));
        }

        await().atMost(WAIT).until(() -> sandbox.webhookDeliveries().size() == 4);
        assertThat(sandbox.webhookDeliveries()).extracting(WebhookDelivery::failure).containsExactly(
                "answer is not {\"status\":\"OK\"}", "HTTP 500", "HTTP 204", null);
        assertThat(receiver.received("worksection")).hasSize(4);
    }

    @Test
    void theWebhookIsDisabledAfterTenErrorsUntilReset() throws Exception {
        sandbox.webhooks(receiver.url());
        receiver.answerAlways("worksection", 503, "");
        for (int i = 0; i < 11; i++) {
            call("post_comment", Map.of("id_task", "1004", "text", "c" + i));
        }

        await().atMost(WAIT).until(() -> sandbox.webhookDeliveries().size() == 11);
        assertThat(receiver.received("worksection")).hasSize(10);
        assertThat(sandbox.webhookDeliveries().get(10).failure()).startsWith("not sent");

        sandbox.reset();
        receiver.clear();
        call("post_comment", Map.of("id_task", "1004", "text", "again"));
        await().atMost(WAIT).until(() -> receiver.received("worksection").size() == 1);
    }

    @Test
    void aDeletionInTheUiIsAnEventAndAWebhook() throws Exception {
        sandbox.webhooks(receiver.url());

        assertThat(sandbox.worksection().deleteTask("1005")).isTrue();
        assertThat(sandbox.worksection().deleteTask("1005")).isFalse();

        assertThat(call("get_task", Map.of("id_task", "1006")).get("status_code").asInt()).isEqualTo(5);
        JsonNode event = call("get_events", Map.of("period", "1m")).at("/data/0");
        assertThat(event.get("action").asText()).isEqualTo("delete");
        assertThat(event.get("object")).isEqualTo(SandboxClient.JSON.readTree(
                "{\"type\":\"task\",\"id\":\"1005\",\"page\":\"/project/100/1005/\"}"));
        assertThat(event.get("old")).isEqualTo(SandboxClient.JSON.readTree("{\"name\":\"Write the docs\",\"status\":\"active\"}"));
        await().atMost(WAIT).until(() -> receiver.received("worksection").size() == 1);
        assertThat(receiver.received("worksection").get(0).json()).containsExactly(event);
        assertThat(call("get_all_tasks", Map.of()).get("data")).extracting(t -> t.get("id").asText())
                .doesNotContain("1005");
    }

    @Test
    void noWebhookWhileOffAndNoneAfterReset() throws Exception {
        call("post_comment", Map.of("id_task", "1004", "text", "quiet"));
        sandbox.webhooks(receiver.url());
        call("post_comment", Map.of("id_task", "1004", "text", "loud"));
        await().atMost(WAIT).until(() -> sandbox.webhookDeliveries().size() == 1);

        sandbox.reset();

        assertThat(sandbox.webhookDeliveries()).isEmpty();
        assertThat(receiver.received("worksection")).singleElement()
                .satisfies(r -> assertThat(r.json().at("/0/new/text").asText()).isEqualTo("loud"));
    }
}
