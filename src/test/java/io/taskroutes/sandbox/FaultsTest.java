package io.taskroutes.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FaultsTest {

    private static final String TOKEN = ProviderSandbox.PIXFLOW_TOKEN;

    private static ProviderSandbox sandbox;
    private static String pixflow;

    @BeforeAll
    static void start() {
        sandbox = ProviderSandbox.start();
        pixflow = sandbox.baseUrl("pixflow");
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
    void droppedConnectionIsAnIOExceptionAtTheClient() throws Exception {
        sandbox.faults("pixflow").dropNext(1);
        SandboxClient client = new SandboxClient();

        assertThatThrownBy(() -> client.postForm(pixflow + "/tasks", TOKEN, Map.of()))
                .isInstanceOf(IOException.class);
        assertThat(client.postForm(pixflow + "/tasks", TOKEN, Map.of()).status()).isEqualTo(200);
        assertThat(sandbox.requests("pixflow")).hasSize(2);
    }

    @Test
    void latencyDelaysTheAnswer() throws Exception {
        SandboxClient client = new SandboxClient();
        client.postForm(pixflow + "/tasks", TOKEN, Map.of()); // warm the connection
        sandbox.faults("pixflow").latency(Duration.ofMillis(250));

        long started = System.nanoTime();
        SandboxClient.Answer answer = client.postForm(pixflow + "/tasks", TOKEN, Map.of());
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(answer.status()).isEqualTo(200);
        assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(250));
    }

    @Test
    void oneShotFaultsComeInOrderThenTheSimulatorAnswers() throws Exception {
        SandboxClient client = new SandboxClient();
        sandbox.faults("pixflow").failNext(2, 503).rateLimitNext(1, 3);

        assertThat(client.postForm(pixflow + "/tasks", TOKEN, Map.of()).status()).isEqualTo(503);
        SandboxClient.Answer second = client.postForm(pixflow + "/tasks", TOKEN, Map.of());
        assertThat(second.status()).isEqualTo(503);
        assertThat(second.json().get("type").asText()).isEqualTo("error");
        SandboxClient.Answer third = client.postForm(pixflow + "/tasks", TOKEN, Map.of());
        assertThat(third.status()).isEqualTo(429);
        assertThat(third.header("Retry-After")).isEqualTo("3");
        assertThat(client.postForm(pixflow + "/tasks", TOKEN, Map.of()).status()).isEqualTo(200);
        assertThat(sandbox.requests("pixflow")).hasSize(4);
    }

    @Test
    void failAlwaysLastsUntilCleared() throws Exception {
        SandboxClient client = new SandboxClient();
        sandbox.faults("pyrus").failAlways(500);

        for (int i = 0; i < 3; i++) {
            SandboxClient.Answer answer = client.get(sandbox.baseUrl("pyrus") + "/tasks/11611", "any");
            assertThat(answer.status()).isEqualTo(500);
            assertThat(answer.json().get("error_code").asText()).isEqualTo("server_error");
        }
        assertThat(client.postForm(pixflow + "/tasks", TOKEN, Map.of()).status()).as("other provider").isEqualTo(200);

        sandbox.faults("pyrus").clear();
        assertThat(client.get(sandbox.baseUrl("pyrus") + "/tasks/11611", "any").status()).isEqualTo(401);
    }

    @Test
    void resetRestoresSeedsAndForgetsRequestsAndFaults() throws Exception {
        SandboxClient client = new SandboxClient();
        client.postForm(pixflow + "/task/delete", TOKEN, Map.of("task_uid", "gsvyz98boa"));
        sandbox.faults("pixflow").failAlways(503);
        assertThat(sandbox.pixflow().status("gsvyz98boa")).isEmpty();

        sandbox.reset();

        assertThat(sandbox.requests("pixflow")).isEmpty();
        assertThat(sandbox.pixflow().status("gsvyz98boa")).contains("10");
        assertThat(client.postForm(pixflow + "/tasks", TOKEN, Map.of()).status()).isEqualTo(200);
    }
}
