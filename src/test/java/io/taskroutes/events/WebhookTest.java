package io.taskroutes.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.taskroutes.command.Json;
import io.taskroutes.sandbox.ProviderSandbox;
import io.taskroutes.testsupport.BundleUnderTest;
import io.taskroutes.testsupport.TestKafka;

/** Webhooks of Pyrus, Worksection and Tracker against the bundle's port: authenticated, bounded, published once. */
class WebhookTest {

    static final String WS_USER = "ws-hook";
    static final String WS_PASSWORD = "ws-hook-password-1";
    static final String TRACKER_SECRET = "tracker-hook-secret-1";

    static ProviderSandbox sandbox;
    static BundleUnderTest bundle;
    static String topic;
    static int port;
    static final HttpClient HTTP = HttpClient.newHttpClient();

    /** Everything logged while the webhooks run, for the "no secret in the logs" check. */
    static final ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> LOGS = new ch.qos.logback.core.read.ListAppender<>();

    @BeforeAll
    static void start() throws IOException {
        LOGS.start();
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(LOGS);
        sandbox = ProviderSandbox.start();
        port = freePort();
        String prefix = BundleUnderTest.newPrefix();
        topic = prefix + "task.events";
        bundle = BundleUnderTest.start(sandbox, Map.of(
                "tasks.events.webhook.port", String.valueOf(port),
                "tasks.events.webhook.host", "127.0.0.1",
                "tasks.events.webhook.max-bytes", "4096",
                "tasks.events.topic", topic,
                "tasks.events.state-topic", prefix + "task.events.state",
                "tasks.events.transactional-id", prefix + "events",
                "tasks.worksection.events.webhook-user", WS_USER,
                "tasks.worksection.events.webhook-password", WS_PASSWORD,
                "tasks.yandex-tracker.events.webhook-secret", TRACKER_SECRET), 1, prefix);
    }

    @AfterAll
    static void stop() {
        assertThat(EventRecords.schemaViolations(events())).isEmpty();
        bundle.close();
        sandbox.close();
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(LOGS);
        StringBuilder logged = new StringBuilder();
        for (ch.qos.logback.classic.spi.ILoggingEvent event : LOGS.list) {
            logged.append(event.getFormattedMessage()).append('\n');
            if (event.getThrowableProxy() != null) {
                logged.append(event.getThrowableProxy().getMessage()).append('\n');
            }
        }
        // the refused and the accepted requests were logged about, never with what authenticated them
        assertThat(logged.toString()).contains("webhook refused")
                .doesNotContain(ProviderSandbox.PYRUS_SECURITY_KEY, WS_PASSWORD, TRACKER_SECRET, "pyrus-access-token-xyz");
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    static String pyrusBody(long taskId, long commentId, String text) {
        String now = Instant.now().toString();
        ObjectNode body = Json.object().put("event", "comment").put("access_token", "pyrus-access-token-xyz")
                .put("task_id", taskId).put("user_id", 1733);
        ObjectNode task = body.putObject("task").put("id", taskId).put("text", "Help with printer")
                .put("create_date", "2017-08-23T10:14:01Z").put("last_modified_date", now);
        task.putArray("comments").addObject().put("id", commentId).put("text", text).put("create_date", now)
                .putObject("author").put("id", 1733).put("first_name", "Bob");
        return Json.write(body);
    }

    static String sign(String body, String key) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
        return HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    }

    static HttpResponse<String> post(String provider, String body, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/webhooks/" + provider))
                .POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json");
        headers.forEach(request::header);
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** tasks_webhook_rejected_total{provider,reason} as the bundle's registry has it now. */
    static double rejected(String provider, String reason) {
        io.micrometer.core.instrument.MeterRegistry meters = bundle.context().getRegistry()
                .lookupByNameAndType("metricsRegistry", io.micrometer.core.instrument.MeterRegistry.class);
        io.micrometer.core.instrument.Counter counter = meters.find("tasks.webhook.rejected").tag("provider", provider).tag("reason", reason).counter();
        return counter == null ? 0 : counter.count();
    }

    static List<ConsumerRecord<byte[], byte[]>> events() {
        return EventRecords.committed(TestKafka.bootstrap(), topic);
    }

    static List<ConsumerRecord<byte[], byte[]>> eventsFor(String key) {
        return events().stream().filter(r -> EventRecords.key(r).equals(key)).toList();
    }

    @Test
    void aSignedPyrusWebhookIsPublishedAsCloudEventsAndItsRetryAddsNothing() throws Exception {
        String body = pyrusBody(7001, 91, "The printer is fixed");
        HttpResponse<String> answer = post("pyrus", body, Map.of("X-Pyrus-Sig", sign(body, ProviderSandbox.PYRUS_SECURITY_KEY)));
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo("{}");
        // nothing of the request comes back in the answer
        assertThat(answer.headers().map().keySet()).noneMatch(h -> h.equalsIgnoreCase("X-Pyrus-Sig"));

        List<ConsumerRecord<byte[], byte[]>> events = eventsFor("pyrus:7001");
        assertThat(events).extracting(EventRecords::type)
                .containsExactly("io.taskroutes.task.updated", "io.taskroutes.task.commented");
        ConsumerRecord<byte[], byte[]> commented = events.get(1);
        assertThat(EventRecords.header(commented, "ce_specversion")).isEqualTo("1.0");
        assertThat(EventRecords.header(commented, "ce_source")).isEqualTo("/task-routes/pyrus");
        assertThat(EventRecords.header(commented, "ce_subject")).isEqualTo("7001");
        assertThat(EventRecords.header(commented, "content-type")).isEqualTo("application/json");
        assertThat(Instant.parse(EventRecords.header(commented, "ce_time"))).isAfter(Instant.now().minusSeconds(60));
        assertThat(EventRecords.data(commented).path("provider").asText()).isEqualTo("pyrus");
        assertThat(EventRecords.data(commented).path("taskId").asText()).isEqualTo("7001");
        assertThat(EventRecords.data(commented).path("comment").path("id").asText()).isEqualTo("91");
        assertThat(EventRecords.data(commented).path("comment").path("text").asText()).isEqualTo("The printer is fixed");
        assertThat(EventRecords.data(commented).path("task").path("id").asText()).isEqualTo("7001");
        assertThat(EventRecords.everything(events)).doesNotContain("pyrus-access-token-xyz", ProviderSandbox.PYRUS_SECURITY_KEY);

        // Pyrus sends it again (X-Pyrus-Retry) when it did not see our answer: the same change, nothing new
        HttpResponse<String> retry = post("pyrus", body, Map.of("X-Pyrus-Sig", sign(body, ProviderSandbox.PYRUS_SECURITY_KEY),
                "X-Pyrus-Retry", "1/3"));
        assertThat(retry.statusCode()).isEqualTo(200);
        assertThat(eventsFor("pyrus:7001")).hasSize(2);
    }

    @Test
    void aPyrusSignatureIsComparedInAnyCase() throws Exception {
        String body = pyrusBody(7002, 92, "upper-case signature");
        HttpResponse<String> answer = post("pyrus", body,
                Map.of("X-Pyrus-Sig", sign(body, ProviderSandbox.PYRUS_SECURITY_KEY).toUpperCase()));
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(eventsFor("pyrus:7002")).extracting(EventRecords::type).contains("io.taskroutes.task.commented");
    }

    @Test
    void badMissingOrWronglyKeyedPyrusSignaturesAreRefusedAndPublishNothing() throws Exception {
        String body = pyrusBody(7003, 93, "forged");
        long before = events().size();
        double rejected = rejected("pyrus", "unauthorized");
        assertThat(post("pyrus", body, Map.of()).statusCode()).isEqualTo(401);
        assertThat(post("pyrus", body, Map.of("X-Pyrus-Sig", sign(body, "another-bots-key"))).statusCode()).isEqualTo(401);
        assertThat(post("pyrus", body, Map.of("X-Pyrus-Sig", sign(body + " ", ProviderSandbox.PYRUS_SECURITY_KEY))).statusCode())
                .isEqualTo(401);
        assertThat(post("pyrus", body, Map.of("X-Pyrus-Sig", "not-hex"))).extracting(HttpResponse::statusCode).isEqualTo(401);
        assertThat(events()).hasSize((int) before);
        assertThat(rejected("pyrus", "unauthorized") - rejected).isEqualTo(4);
    }

    @Test
    void oversizedMalformedAndNonPostRequestsAreRefusedAndPublishNothing() throws Exception {
        long before = events().size();
        String big = "{\"task\":{\"id\":1,\"text\":\"" + "x".repeat(5000) + "\"}}";
        assertThat(post("pyrus", big, Map.of("X-Pyrus-Sig", sign(big, ProviderSandbox.PYRUS_SECURITY_KEY))).statusCode()).isEqualTo(413);
        String notJson = "task=1";
        HttpResponse<String> malformed = post("pyrus", notJson, Map.of("X-Pyrus-Sig", sign(notJson, ProviderSandbox.PYRUS_SECURITY_KEY)));
        assertThat(malformed.statusCode()).isEqualTo(400);
        String noTask = "{\"event\":\"comment\"}";
        assertThat(post("pyrus", noTask, Map.of("X-Pyrus-Sig", sign(noTask, ProviderSandbox.PYRUS_SECURITY_KEY))).statusCode()).isEqualTo(400);
        HttpResponse<String> get = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/webhooks/pyrus")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(get.statusCode()).isEqualTo(405);
        assertThat(events()).hasSize((int) before);
    }

    @Test
    void worksectionItemsNeedItsBasicCredentialsAndAreAnsweredStatusOk() throws Exception {
        String item = "[{\"action\":\"post\",\"object\":{\"type\":\"comment\",\"id\":\"555\",\"page\":\"/project/1/1001/\"},"
                + "\"date_added\":\"2026-12-01 10:15\",\"user_from\":{\"id\":\"7\",\"email\":\"a@b.c\",\"name\":\"Ann\"},"
                + "\"new\":{\"text\":\"Looks good\"}}]";
        String wrong = "Basic " + Base64.getEncoder().encodeToString((WS_USER + ":nope").getBytes(StandardCharsets.UTF_8));
        assertThat(post("worksection", item, Map.of("Authorization", wrong)).statusCode()).isEqualTo(401);
        assertThat(post("worksection", item, Map.of()).statusCode()).isEqualTo(401);
        assertThat(eventsFor("worksection:1001")).isEmpty();

        String basic = "Basic " + Base64.getEncoder().encodeToString((WS_USER + ":" + WS_PASSWORD).getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> answer = post("worksection", item, Map.of("Authorization", basic));
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo("{\"status\":\"OK\"}");
        List<ConsumerRecord<byte[], byte[]>> events = eventsFor("worksection:1001");
        assertThat(events).extracting(EventRecords::type).containsExactly("io.taskroutes.task.commented");
        assertThat(EventRecords.data(events.get(0)).path("comment").path("text").asText()).isEqualTo("Looks good");
        assertThat(EventRecords.header(events.get(0), "ce_time")).isEqualTo("2026-12-01T10:15:00Z");
        // Worksection sends the same item again: one event
        assertThat(post("worksection", item, Map.of("Authorization", basic)).statusCode()).isEqualTo(200);
        assertThat(eventsFor("worksection:1001")).hasSize(1);
        assertThat(EventRecords.everything(events())).doesNotContain(WS_PASSWORD);
    }

    @Test
    void aTrackerTriggerWithTheSharedSecretPublishesTheIssueAsItIsNow() throws Exception {
        assertThat(post("yandex-tracker", "{\"key\":\"TEST-1\"}", Map.of("X-Webhook-Secret", "guess")).statusCode()).isEqualTo(401);
        HttpResponse<String> answer = post("yandex-tracker", "{\"key\":\"TEST-1\"}", Map.of("X-Webhook-Secret", TRACKER_SECRET));
        assertThat(answer.statusCode()).isEqualTo(200);
        List<ConsumerRecord<byte[], byte[]>> events = eventsFor("yandex-tracker:TEST-1");
        assertThat(events).hasSize(1);
        assertThat(EventRecords.data(events.get(0)).path("task").path("title").asText()).isNotEmpty();
        // the same state again is no new change
        assertThat(post("yandex-tracker", "{\"key\":\"TEST-1\"}", Map.of("X-Webhook-Secret", TRACKER_SECRET)).statusCode()).isEqualTo(200);
        assertThat(eventsFor("yandex-tracker:TEST-1")).hasSize(1);
        assertThat(post("yandex-tracker", "{\"issue\":1}", Map.of("X-Webhook-Secret", TRACKER_SECRET)).statusCode()).isEqualTo(400);
        assertThat(EventRecords.everything(events())).doesNotContain(TRACKER_SECRET);
    }

    @Test
    void providersWithoutWebhooksHaveNoRoute() throws Exception {
        assertThat(post("pixflow", "{}", Map.of()).statusCode()).isEqualTo(404);
    }
}
