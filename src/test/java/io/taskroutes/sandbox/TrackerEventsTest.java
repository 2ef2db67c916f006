package io.taskroutes.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TrackerEventsTest {

    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final Instant T1 = Instant.parse("2024-06-03T09:15:42.250Z");

    private static ProviderSandbox sandbox;
    private static WebhookReceiver receiver;
    private static String api;
    private final SandboxClient client = new SandboxClient();

    @BeforeAll
    static void start() {
        sandbox = ProviderSandbox.start();
        receiver = WebhookReceiver.start();
        api = sandbox.baseUrl("yandex-tracker") + "/v3";
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

    private SandboxClient.Answer call(String method, String path, String json) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(api + path))
                .header("Authorization", "OAuth " + TrackerSimulator.TOKEN).header("X-Org-ID", TrackerSimulator.ORG_ID)
                .header("Content-Type", "application/json")
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
        return client.send(request);
    }

    private List<String> searchKeys(String json) throws Exception {
        SandboxClient.Answer answer = call("POST", "/issues/_search", json);
        assertThat(answer.status()).isEqualTo(200);
        List<String> keys = new java.util.ArrayList<>();
        answer.json().forEach(issue -> keys.add(issue.get("key").asText()));
        return keys;
    }

    private static String updatedSince(String time, String direction) {
        return "{\"query\":\"Updated: >= \\\"" + time + "\\\" \\\"Sort By\\\": Updated " + direction + "\"}";
    }

    private void at(Instant instant) {
        sandbox.clock(Clock.fixed(instant, ZoneOffset.UTC));
    }

    @Test
    void searchFindsIssuesUpdatedAtOrAfterAUtcTimeOldestFirst() throws Exception {
        at(T1);
        String created = call("POST", "/issues/", "{\"queue\":\"TEST\",\"summary\":\"New\"}").json().get("key").asText();
        at(T1.plusSeconds(5));
        assertThat(call("PATCH", "/issues/TEST-4", "{\"summary\":\"Write the docs now\"}").status()).isEqualTo(200);
        at(T1.plusSeconds(10));
        assertThat(call("POST", "/issues/" + created + "/comments", "{\"text\":\"Noted\"}").status()).isEqualTo(201);

        assertThat(call("GET", "/issues/" + created, null).json().get("updatedAt").asText())
                .isEqualTo("2024-06-03T09:15:52.250+0000");
        assertThat(searchKeys(updatedSince("2024-06-03 09:15:42", "ASC"))).containsExactly("TEST-4", created);
        assertThat(searchKeys(updatedSince("2024-06-03 09:15:42", "DESC"))).containsExactly(created, "TEST-4");
        assertThat(searchKeys(updatedSince("2024-06-03 09:15:47", "ASC"))).containsExactly("TEST-4", created);
        assertThat(searchKeys(updatedSince("2024-06-03 09:15:48", "ASC"))).containsExactly(created);
        assertThat(searchKeys(updatedSince("2024-06-03 09:15:53", "ASC"))).isEmpty();
        assertThat(searchKeys(updatedSince("2024-05-21 08:00:00", "ASC")))
                .containsExactly("TEST-1", "TEST-2", "TEST-3", "TEST-5", "TEST-4", created);
        assertThat(searchKeys("{\"query\":\"Updated: >now()-1m \\\"Sort By\\\": Updated ASC\"}"))
                .containsExactly("TEST-4", created);
        assertThat(searchKeys("{\"filter\":{\"queue\":\"TEST\"},\"order\":\"-updatedAt\"}").subList(0, 2))
                .containsExactly(created, "TEST-4");

        SandboxClient.Answer page2 = call("POST", "/issues/_search?perPage=1&page=2",
                updatedSince("2024-06-03 09:15:42", "ASC"));
        assertThat(page2.header("X-Total-Count")).isEqualTo("2");
        assertThat(page2.header("X-Total-Pages")).isEqualTo("2");
        assertThat(page2.json()).singleElement().satisfies(i -> assertThat(i.get("key").asText()).isEqualTo(created));

        SandboxClient.Answer bad = call("POST", "/issues/_search", "{\"query\":\"Updated: >= \\\"yesterday\\\"\"}");
        assertThat(bad.status()).isEqualTo(400);
    }

    @Test
    void updatedAtChangesOnEveryChangeEvenWithinOneMillisecond() throws Exception {
        at(T1);
        String before = call("GET", "/issues/TEST-1", null).json().get("updatedAt").asText();
        call("POST", "/issues/TEST-1/comments", "{\"text\":\"one\"}");
        String afterComment = call("GET", "/issues/TEST-1", null).json().get("updatedAt").asText();
        call("POST", "/issues/TEST-1/comments", "{\"text\":\"two\"}");
        String afterSecond = call("GET", "/issues/TEST-1", null).json().get("updatedAt").asText();
        call("PATCH", "/issues/TEST-1", "{\"summary\":\"Renamed\"}");
        String afterPatch = call("GET", "/issues/TEST-1", null).json().get("updatedAt").asText();
        call("POST", "/issues/TEST-1/transitions/start_progress/_execute", "{}");
        String afterTransition = call("GET", "/issues/TEST-1", null).json().get("updatedAt").asText();

        assertThat(before).isEqualTo("2024-05-21T08:00:00.000+0000");
        assertThat(List.of(afterComment, afterSecond, afterPatch, afterTransition)).containsExactly(
                "2024-06-03T09:15:42.250+0000", "2024-06-03T09:15:42.251+0000", "2024-06-03T09:15:42.252+0000",
                "2024-06-03T09:15:42.253+0000");
    }

    @Test
    void transitionsChangeTheStatus() throws Exception {
        JsonNode available = call("GET", "/issues/TEST-1/transitions", null).json();
        assertThat(available).extracting(t -> t.get("id").asText()).containsExactly("close", "resolve", "start_progress");

        SandboxClient.Answer closed = call("POST", "/issues/TEST-1/transitions/close/_execute", "{}");
        assertThat(closed.status()).isEqualTo(200);
        assertThat(closed.json()).extracting(t -> t.get("id").asText()).containsExactly("reopen");
        JsonNode issue = call("GET", "/issues/TEST-1", null).json();
        assertThat(issue.at("/status/key").asText()).isEqualTo("closed");
        assertThat(issue.get("version").asInt()).isEqualTo(2);

        assertThat(call("POST", "/issues/TEST-1/transitions/close/_execute", "{}").status()).isEqualTo(400);
    }

    @Test
    void everyIssueChangeTriggersTheWebhookInOrderWithBasicAuth() throws Exception {
        sandbox.webhooks(receiver.url());
        String created = call("POST", "/issues/", "{\"queue\":\"TEST\",\"summary\":\"Hook\"}").json().get("key").asText();
        call("PATCH", "/issues/" + created, "{\"summary\":\"Hooked\"}");
        call("POST", "/issues/" + created + "/transitions/resolve/_execute", "{}");
        call("POST", "/issues/" + created + "/comments", "{\"text\":\"done\"}");
        call("PATCH", "/issues/" + created, "{\"status\":\"open\"}"); // refused (422): no change, no webhook
        call("DELETE", "/entities/project/1/checklistItems", null); // not an issue: no webhook

        await().atMost(WAIT).until(() -> sandbox.webhookDeliveries().size() == 4);
        List<WebhookReceiver.Received> hooks = receiver.received("yandex-tracker");
        assertThat(hooks).extracting(WebhookReceiver.Received::bodyString).containsExactly(
                "{\"key\":\"" + created + "\",\"event\":\"IssueCreated\"}",
                "{\"key\":\"" + created + "\",\"event\":\"IssueUpdated\"}",
                "{\"key\":\"" + created + "\",\"event\":\"IssueWorkflow\"}",
                "{\"key\":\"" + created + "\",\"event\":\"IssueCommentAdded\"}");
        String basic = "Basic " + Base64.getEncoder().encodeToString((ProviderSandbox.TRACKER_WEBHOOK_USER + ":"
                + ProviderSandbox.TRACKER_WEBHOOK_PASSWORD).getBytes(StandardCharsets.UTF_8));
        assertThat(hooks).allSatisfy(h -> {
            assertThat(h.header("Authorization")).isEqualTo(basic);
            assertThat(h.header("Content-Type")).startsWith("application/json");
        });
        assertThat(sandbox.webhookDeliveries()).allSatisfy(d -> {
            assertThat(d.url()).isEqualTo(receiver.url() + "/yandex-tracker");
            assertThat(d.succeeded()).isTrue();
        });
        assertThat(sandbox.clientProperties())
                .containsEntry("tasks.yandex-tracker.events.webhook-user", ProviderSandbox.TRACKER_WEBHOOK_USER)
                .containsEntry("tasks.yandex-tracker.events.webhook-password", ProviderSandbox.TRACKER_WEBHOOK_PASSWORD);
    }

    @Test
    void aFailedWebhookIsNotRetried() throws Exception {
        sandbox.webhooks(receiver.url());
        receiver.answerNext("yandex-tracker", 1, 503, "");
        call("POST", "/issues/TEST-1/comments", "{\"text\":\"lost\"}");
        call("POST", "/issues/TEST-1/comments", "{\"text\":\"kept\"}");

        await().atMost(WAIT).until(() -> sandbox.webhookDeliveries().size() == 2);
        assertThat(sandbox.webhookDeliveries()).extracting(WebhookDelivery::failure).containsExactly("HTTP 503", null);
        assertThat(sandbox.webhookDeliveries()).extracting(WebhookDelivery::retry).containsOnly(0);
        assertThat(receiver.received("yandex-tracker")).hasSize(2);
    }
}
