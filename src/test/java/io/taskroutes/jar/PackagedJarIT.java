package io.taskroutes.jar;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import io.taskroutes.command.Json;
import io.taskroutes.sandbox.ProviderSandbox;
import io.taskroutes.testsupport.JarProcess;
import io.taskroutes.testsupport.Records;
import io.taskroutes.testsupport.TestKafka;

/** The shaded jar, as deployed: prod profile, configuration from environment variables only. */
class PackagedJarIT {

    @TempDir
    Path tmp;

    @Test
    void packagedJarStartsInProdFromEnvironmentAndProcessesACommand() throws Exception {
        String prefix = "jar" + UUID.randomUUID().toString().substring(0, 8) + ".";
        String secret = ProviderSandbox.PIXFLOW_TOKEN;
        TestKafka.createTopic(prefix + "task.delete", 1);
        TestKafka.createTopic(prefix + "task.results", 1);
        TestKafka.createTopic(prefix + "task.dlq", 1);
        int managementPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            managementPort = socket.getLocalPort();
        }
        try (ProviderSandbox sandbox = ProviderSandbox.start()) {
            Map<String, String> env = Map.of(
                    "CAMEL_MAIN_PROFILE", "prod",
                    "TASKS_KAFKA_BROKERS", TestKafka.bootstrap(),
                    "TASKS_KAFKA_GROUP_ID", prefix + "group",
                    "TASKS_KAFKA_RESULT_TOPIC", prefix + "task.results",
                    "TASKS_KAFKA_DLQ_TOPIC", prefix + "task.dlq",
                    "TASKS_KAFKA_TOPIC_TASK_DELETE", prefix + "task.delete",
                    "TASKS_PIXFLOW_BASE_URL", sandbox.baseUrl("pixflow"),
                    "TASKS_PIXFLOW_TOKEN", secret,
                    // camel.* keys of application.properties, overridden from the environment like any other
                    "CAMEL_MANAGEMENT_ENABLED", "true",
                    "CAMEL_MANAGEMENT_PORT", String.valueOf(managementPort));
            try (JarProcess jar = JarProcess.start(env, tmp)) {
                TestKafka.produce(prefix + "task.delete", "gsvyz98boa".getBytes(StandardCharsets.UTF_8),
                        "{\"id\":\"jar-1\",\"provider\":\"pixflow\",\"taskId\":\"gsvyz98boa\"}".getBytes(StandardCharsets.UTF_8), Map.of());
                ConsumerRecord<byte[], byte[]> result = Records.byCommandId(prefix + "task.results", Set.of("jar-1"), Duration.ofSeconds(90)).get("jar-1");
                JsonNode body = Json.MAPPER.readTree(result.value());
                assertThat(body.get("status").asText()).as(jar.output()).isEqualTo("ok");
                assertThat(sandbox.requests("pixflow").get(0).header("Authorization")).isEqualTo("Bearer " + secret);
                assertThat(jar.output()).doesNotContain(secret);
                // the management server listens where the environment said
                java.net.http.HttpResponse<String> health = java.net.http.HttpClient.newHttpClient().send(
                        java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + managementPort + "/observe/health")).build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString());
                assertThat(health.statusCode()).as(health.body()).isIn(200, 503);
            }
        }
    }

    @Test
    void prodWithoutBrokersRefusesToStartNamingTheKey() {
        try (JarProcess jar = JarProcess.start(Map.of("CAMEL_MAIN_PROFILE", "prod"), tmp)) {
            assertThat(jar.awaitExit(Duration.ofSeconds(60))).isNotZero();
            assertThat(jar.output()).contains("tasks.kafka.brokers");
        }
    }

    @Test
    void devProfileRunsBrokerAndSandboxAndSendPrintsTheResultAndWatchItsEvents() throws Exception {
        try (JarProcess dev = JarProcess.start(Map.of("CAMEL_MAIN_PROFILE", "dev"), tmp)) {
            Path brokers = tmp.resolve("task-routes-dev").resolve("brokers");
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(90)).until(() -> Files.exists(brokers) || !dev.isAlive());
            assertThat(dev.isAlive()).as(dev.output()).isTrue();
            try (JarProcess send = JarProcess.start(Map.of(), tmp, "send", "task.delete",
                    "{\"id\":\"dev-1\",\"provider\":\"pixflow\",\"taskId\":\"gsvyz98boa\"}")) {
                assertThat(send.awaitExit(Duration.ofSeconds(120))).as(send.output() + "\n--- dev:\n" + dev.output()).isZero();
                assertThat(send.output()).contains("\"commandId\" : \"dev-1\"").contains("\"status\" : \"ok\"");
            }
            try (JarProcess send = JarProcess.start(Map.of(), tmp, "send", "task.comment",
                    "{\"id\":\"dev-2\",\"provider\":\"pyrus\",\"taskId\":11613,\"text\":\"It's done.\",\"action\":\"close\"}")) {
                assertThat(send.awaitExit(Duration.ofSeconds(120))).as(send.output()).isZero();
                assertThat(send.output()).contains("\"status\" : \"closed\"");
            }
            // what those commands changed comes back as events: the Pyrus close by the sandbox bot's webhook, the
            // Pixflow deletion by the dev run's polling
            try (JarProcess watch = JarProcess.start(Map.of(), tmp, "watch", "--from-beginning", "--count", "3", "--timeout", "90")) {
                assertThat(watch.awaitExit(Duration.ofSeconds(120))).as(watch.output() + "\n--- dev:\n" + dev.output()).isZero();
                assertThat(watch.output()).contains("io.taskroutes.task.closed 11613 ", "io.taskroutes.task.commented 11613 ",
                        "io.taskroutes.task.deleted gsvyz98boa ");
            }
            // every provider answers through the dev run's sandbox
            for (String command : new String[] {
                    "{\"id\":\"dev-3\",\"provider\":\"yandex-tracker\",\"taskId\":\"TEST-1\"}",
                    "{\"id\":\"dev-4\",\"provider\":\"worksection\",\"taskId\":1001}",
                    "{\"id\":\"dev-5\",\"provider\":\"taskapi\",\"taskId\":\"task-1\"}"}) {
                try (JarProcess send = JarProcess.start(Map.of(), tmp, "send", "task.get", command)) {
                    assertThat(send.awaitExit(Duration.ofSeconds(120))).as(send.output()).isZero();
                    assertThat(send.output()).contains("\"status\" : \"ok\"").contains("\"task\" : {");
                }
            }
        }
    }
}
