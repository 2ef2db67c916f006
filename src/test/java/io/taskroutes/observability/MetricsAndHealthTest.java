package io.taskroutes.observability;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.taskroutes.errors.ErrorReason;
import io.taskroutes.sandbox.ProviderSandbox;
import io.taskroutes.testsupport.BundleUnderTest;
import io.taskroutes.testsupport.Direct;
import io.taskroutes.testsupport.TestKafka;

/** The real bundle with metrics and health on Camel Main's management server, scraped over HTTP. */
class MetricsAndHealthTest {

    static ProviderSandbox sandbox;
    static BundleUnderTest bundle;
    static int port;
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        sandbox = ProviderSandbox.start();
        bundle = BundleUnderTest.start(sandbox, Map.of(
                "camel.metrics.enabled", "true",
                "camel.management.enabled", "true",
                "camel.management.port", String.valueOf(port),
                "camel.management.metricsEnabled", "true",
                "camel.management.healthCheckEnabled", "true",
                "camel.health.exposureLevel", "full"));
    }

    @AfterAll
    static void stop() {
        bundle.close();
        sandbox.close();
    }

    static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static double value(String scrape, String name, String... labels) {
        double sum = 0;
        boolean found = false;
        for (String line : scrape.lines().toList()) {
            if (!line.startsWith(name + "{") && !line.startsWith(name + " ")) {
                continue;
            }
            boolean all = true;
            for (String label : labels) {
                all &= line.contains(label);
            }
            if (all) {
                Matcher m = Pattern.compile("\\s(\\S+)$").matcher(line);
                m.find();
                sum += Double.parseDouble(m.group(1));
                found = true;
            }
        }
        return found ? sum : -1;
    }

    @Test
    void countersAppearInThePrometheusScrape() throws Exception {
        Direct.call(bundle.template(), "task.get", "{\"provider\":\"pixflow\",\"taskId\":\"gsvyz98boa\"}");
        sandbox.faults("pixflow").failNext(2, 503);
        Direct.call(bundle.template(), "task.get", "{\"provider\":\"pixflow\",\"taskId\":\"gsvyz98boa\"}");
        Direct.call(bundle.template(), "task.delete", "{\"provider\":\"pixflow\",\"taskId\":\"gsvyz98boa\"}");
        assertThat(Direct.failure(bundle.template(), "task.delete", "{\"provider\":\"pixflow\",\"taskId\":\"nosuchtask\"}").reason())
                .isEqualTo(ErrorReason.REJECTED);
        assertThat(Direct.failure(bundle.template(), "task.comment", "{\"provider\":\"pixflow\",\"taskId\":\"x\",\"text\":\"t\"}").reason())
                .isEqualTo(ErrorReason.UNSUPPORTED);
        // one command dead-lettered through Kafka
        TestKafka.produce(bundle.topic("task.delete"), "nosuchtask".getBytes(UTF_8),
                "{\"id\":\"m-dlq\",\"provider\":\"pixflow\",\"taskId\":\"nosuchtask\"}".getBytes(UTF_8), Map.of());

        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(value(get("/observe/metrics").body(), "tasks_dead_letters_total", "reason=\"rejected\"")).isEqualTo(1.0));

        HttpResponse<String> scrape = get("/observe/metrics");
        assertThat(scrape.statusCode()).isEqualTo(200);
        String body = scrape.body();
        assertThat(value(body, "tasks_commands_total", "operation=\"task.delete\"", "provider=\"pixflow\"", "outcome=\"ok\"")).isEqualTo(1.0);
        assertThat(value(body, "tasks_commands_total", "operation=\"task.get\"", "provider=\"pixflow\"", "outcome=\"ok\"")).isEqualTo(2.0);
        assertThat(value(body, "tasks_commands_total", "operation=\"task.delete\"", "provider=\"pixflow\"", "outcome=\"rejected\""))
                .isEqualTo(2.0); // one direct, one from Kafka
        assertThat(value(body, "tasks_commands_total", "operation=\"task.comment\"", "outcome=\"unsupported\"")).isEqualTo(1.0);
        assertThat(value(body, "tasks_retries_total", "provider=\"pixflow\"", "operation=\"task.get\"")).isEqualTo(2.0);
        assertThat(value(body, "tasks_provider_call_seconds_count", "provider=\"pixflow\"", "operation=\"task.get\"", "status=\"503\""))
                .isEqualTo(2.0);
        assertThat(value(body, "tasks_provider_call_seconds_count", "provider=\"pixflow\"", "operation=\"task.get\"", "status=\"200\""))
                .isEqualTo(2.0);
        assertThat(body).contains("tasks_provider_call_seconds_bucket{");
        assertThat(value(body, "tasks_commands_inflight")).isEqualTo(0.0);
        // Camel's own route metrics are there too
        assertThat(body).contains("camel_exchanges_total");
    }

    @Test
    void healthShowsKafkaConsumersAndProviders() throws Exception {
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            HttpResponse<String> health = get("/observe/health");
            assertThat(health.body()).contains("provider-pixflow").contains("provider-pyrus");
            assertThat(health.body()).containsPattern("(?i)consumer");
            assertThat(health.statusCode()).isEqualTo(200);
        });
    }
}
