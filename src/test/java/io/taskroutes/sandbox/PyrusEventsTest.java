package io.taskroutes.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PyrusEventsTest {

    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final Instant T1 = Instant.parse("2024-06-03T09:15:42Z");

    private static ProviderSandbox sandbox;
    private static WebhookReceiver receiver;
    private static String api;
    private final SandboxClient client = new SandboxClient();
    private String token;

    @BeforeAll
    static void start() {
        sandbox = ProviderSandbox.start();
        receiver = WebhookReceiver.start();
        api = sandbox.baseUrl("pyrus");
    }

    @AfterAll
    static void stop() {
        sandbox.close();
        receiver.close();
    }

    @BeforeEach
    void reset() throws Exception {
        sandbox.webhooks(null);
        sandbox.webhookRetryDelay(Duration.ofMillis(20));
        sandbox.reset();
        receiver.clear();
        token = client.postJson(sandbox.pyrusAuthUrl(), null, "{\"login\":\"" + ProviderSandbox.PYRUS_LOGIN
                + "\",\"security_key\":\"" + ProviderSandbox.PYRUS_SECURITY_KEY + "\"}").json().get("access_token").asText();
    }

    /** How a bot checks X-Pyrus-Sig: HMAC-SHA1 of the raw body with its security key, compared case-insensitively. */
    private static boolean signatureVerifies(byte[] body, String signature) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(ProviderSandbox.PYRUS_SECURITY_KEY.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
        return signature != null && HexFormat.of().formatHex(mac.doFinal(body)).equalsIgnoreCase(signature);
    }

    private long create(String json) throws Exception {
        SandboxClient.Answer created = client.postJson(api + "/tasks", token, json);
        assertThat(created.status()).isEqualTo(200);
        return created.json().at("/task/id").asLong();
    }

    @Test
    void aCreatedTaskIsTaskReceivedWithTheWholeTaskSignedWithTheSecurityKey() throws Exception {
        sandbox.webhooks(receiver.url());
        long id = create("{\"text\":\"Printer on fire\",\"responsible\":{\"id\":1733}}");

        await().atMost(WAIT).until(() -> receiver.received("pyrus").size() == 1);
        WebhookReceiver.Received hook = receiver.received("pyrus").get(0);
        assertThat(signatureVerifies(hook.body(), hook.header("X-Pyrus-Sig"))).isTrue();
        assertThat(hook.header("X-Pyrus-Sig")).matches("[0-9a-f]{40}");
        assertThat(hook.header("X-Pyrus-Retry")).isNull();
        assertThat(hook.header("Content-Type")).startsWith("application/json");
        JsonNode body = hook.json();
        assertThat(body.fieldNames()).toIterable().containsExactly("event", "access_token", "task_id", "user_id", "task");
        assertThat(body.get("event").asText()).isEqualTo("task_received");
        assertThat(body.get("task_id").asLong()).isEqualTo(id);
        assertThat(body.get("user_id").asLong()).isEqualTo(1740);
        SandboxClient.Answer viaToken = client.get(api + "/tasks/" + id, body.get("access_token").asText());
        assertThat(viaToken.status()).isEqualTo(200);
        assertThat(body.get("task")).isEqualTo(viaToken.json().get("task"));
        assertThat(body.at("/task/comments/0/text").asText()).isEqualTo("Printer on fire");

        await().atMost(WAIT).until(() -> sandbox.webhookDeliveries().size() == 1);
        WebhookDelivery delivery = sandbox.webhookDeliveries().get(0);
        assertThat(delivery.provider()).isEqualTo("pyrus");
        assertThat(delivery.url()).isEqualTo(receiver.url() + "/pyrus");
        assertThat(delivery.body()).isEqualTo(hook.bodyString());
        assertThat(delivery.succeeded()).isTrue();
        assertThat(delivery.retry()).isZero();
    }

    @Test
    void everyOtherChangeIsACommentEventInTheOrderOfTheChanges() throws Exception {
        sandbox.webhooks(receiver.url());
        long id = create("{\"text\":\"Order\"}");
        client.postJson(api + "/tasks/" + id + "/comments", token, "{\"text\":\"first\"}");
        client.postJson(api + "/tasks/" + id + "/comments", token, "{\"action\":\"finished\"}");
        client.postJson(api + "/tasks/" + id + "/comments", token, "{\"action\":\"reopened\",\"text\":\"again\"}");
        client.postJson(api + "/tasks/11613/comments", token, "{\"approval_choice\":\"approved\"}");
        client.postJson(api + "/tasks/11611/comments", token, "{}"); // refused: no change, no webhook
        client.delete(api + "/tasks/11611", token); // deleted: nothing left to send
        sandbox.pyrus().seedTask("set up by a test, not through the API");

        await().atMost(WAIT).until(() -> sandbox.webhookDeliveries().size() == 5);
        List<JsonNode> bodies = receiver.received("pyrus").stream().map(WebhookReceiver.Received::json).toList();
        assertThat(bodies).extracting(b -> b.get("event").asText() + " " + b.get("task_id").asLong() + " "
                + b.at("/task/comments").size()).containsExactly(
                "task_received " + id + " 1", "comment " + id + " 2", "comment " + id + " 3", "comment " + id + " 4",
                "comment 11613 3");
        assertThat(bodies.get(2).at("/task/close_date").isMissingNode()).isFalse();
        assertThat(bodies.get(3).at("/task/close_date").isMissingNode()).isTrue();
        assertThat(receiver.received("pyrus")).allSatisfy(
                r -> assertThat(signatureVerifies(r.body(), r.header("X-Pyrus-Sig"))).isTrue());
    }

    @Test
    void aFailedDeliveryIsRetriedTwiceNumberedByXPyrusRetry() throws Exception {
        sandbox.webhooks(receiver.url());
        receiver.answerNext("pyrus", 1, 500, "").answerNext("pyrus", 1, 404, "");
        long id = create("{\"text\":\"Retry me\"}");

        await().atMost(WAIT).until(() -> sandbox.webhookDeliveries().size() == 3);
        List<WebhookReceiver.Received> attempts = receiver.received("pyrus");
        assertThat(attempts).extracting(r -> r.header("X-Pyrus-Retry")).containsExactly(null, "1/3", "2/3");
        assertThat(attempts).extracting(WebhookReceiver.Received::bodyString).containsOnly(attempts.get(0).bodyString());
        assertThat(attempts).allSatisfy(r -> assertThat(signatureVerifies(r.body(), r.header("X-Pyrus-Sig"))).isTrue());
        assertThat(sandbox.webhookDeliveries()).extracting(WebhookDelivery::retry, WebhookDelivery::status,
                WebhookDelivery::failure).containsExactly(
                org.assertj.core.groups.Tuple.tuple(0, 500, "HTTP 500"),
                org.assertj.core.groups.Tuple.tuple(1, 404, "HTTP 404"),
                org.assertj.core.groups.Tuple.tuple(2, 200, null));
        assertThat(sandbox.webhookDeliveries().get(2).header("X-Pyrus-Retry")).isEqualTo("2/3");
        assertThat(attempts.get(0).json().get("task_id").asLong()).isEqualTo(id);
    }

    @Test
    void aReceiverThatNeverAnswersGetsThreeAttemptsThenTheNextWebhook() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        sandbox.webhooks("http://127.0.0.1:" + closedPort + "/nobody");
        create("{\"text\":\"Lost\"}");

        await().atMost(WAIT).until(() -> sandbox.webhookDeliveries().size() == 3);
        assertThat(sandbox.webhookDeliveries()).allSatisfy(d -> {
            assertThat(d.succeeded()).isFalse();
            assertThat(d.status()).isZero();
            assertThat(d.failure()).contains("Connect");
        });
        assertThat(sandbox.webhookDeliveries()).extracting(WebhookDelivery::retry).containsExactly(0, 1, 2);

        sandbox.webhooks(receiver.url());
        create("{\"text\":\"Found\"}");
        await().atMost(WAIT).until(() -> receiver.received("pyrus").size() == 1);
        assertThat(receiver.received("pyrus").get(0).json().at("/task/text").asText()).isEqualTo("Found");
    }

    @Test
    void everyTaskCanBePolledThroughOneListWithInclusiveModifiedAfter() throws Exception {
        sandbox.clock(Clock.fixed(T1, ZoneOffset.UTC));
        long created = create("{\"text\":\"Poll me\",\"list_ids\":[42]}");
        long closed = create("{\"text\":\"Closed\"}");
        client.postJson(api + "/tasks/" + closed + "/comments", token, "{\"action\":\"finished\"}");
        String list = api + "/lists/" + PyrusSimulator.ALL_TASKS_LIST_ID + "/tasks";

        JsonNode all = client.get(list + "?include_archived=y", token).json();
        assertThat(all.get("tasks")).extracting(t -> t.get("id").asLong()).containsExactly(11611L, 11613L, created, closed);
        assertThat(client.get(api + "/tasks/" + created, token).json().at("/task/list_ids"))
                .extracting(JsonNode::asLong).containsExactly(42L, PyrusSimulator.ALL_TASKS_LIST_ID);

        assertThat(client.get(list + "?modified_after=2024-06-03T09:15:42Z&include_archived=y", token).json()
                .get("tasks")).extracting(t -> t.get("id").asLong()).containsExactly(created, closed);
        assertThat(client.get(list + "?modified_after=2024-06-03T09:15:42Z", token).json().get("tasks"))
                .extracting(t -> t.get("id").asLong()).containsExactly(created);
        assertThat(client.get(list + "?modified_after=2024-06-03T09:15:43Z&include_archived=y", token).json()
                .get("tasks")).isEmpty();
        assertThat(client.get(list + "?modified_before=2024-06-03T09:15:42Z&modified_after=2017-08-18T10:00:11Z",
                token).json().get("tasks")).extracting(t -> t.get("id").asLong()).containsExactly(11613L, created);
        assertThat(client.get(api + "/tasks/" + created, token).json().at("/task/last_modified_date").asText())
                .isEqualTo("2024-06-03T09:15:42Z");
    }
}
