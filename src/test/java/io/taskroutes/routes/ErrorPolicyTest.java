package io.taskroutes.routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import io.taskroutes.errors.ErrorReason;
import io.taskroutes.errors.TaskException;
import io.taskroutes.sandbox.ProviderSandbox;
import io.taskroutes.testsupport.BundleUnderTest;
import io.taskroutes.testsupport.Direct;

/** The one error policy: what is retried, how often, how long it waits, what the caller sees. */
class ErrorPolicyTest {

    static final String DELETE = "{\"provider\":\"pixflow\",\"taskId\":\"gsvyz98boa\"}";

    static ProviderSandbox sandbox;
    static BundleUnderTest bundle;

    @BeforeAll
    static void start() {
        sandbox = ProviderSandbox.start();
        bundle = BundleUnderTest.start(sandbox, Map.of(
                "tasks.kafka.enabled", "false",
                "tasks.pixflow.retry.max-attempts", "4",
                "tasks.pyrus.retry.max-attempts", "2"));
    }

    @AfterAll
    static void stop() {
        bundle.close();
        sandbox.close();
    }

    @BeforeEach
    void reset() {
        sandbox.reset();
    }

    @Test
    void twoServiceUnavailableThenSuccessTakesThreeCalls() {
        sandbox.faults("pixflow").failNext(2, 503);
        JsonNode result = Direct.call(bundle.template(), "task.delete", DELETE);
        assertThat(result.get("status").asText()).isEqualTo("ok");
        assertThat(sandbox.requests("pixflow")).hasSize(3);
    }

    @Test
    void retryAfterIsHonoured() {
        sandbox.faults("pixflow").rateLimitNext(1, 1);
        long start = System.nanoTime();
        Direct.call(bundle.template(), "task.delete", DELETE);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
        assertThat(sandbox.requests("pixflow")).hasSize(2);
    }

    @Test
    void persistentServerErrorIsUnavailableAfterExactlyTheConfiguredAttempts() {
        sandbox.faults("pixflow").failAlways(500);
        TaskException e = Direct.failure(bundle.template(), "task.delete", DELETE);
        assertThat(e.reason()).isEqualTo(ErrorReason.UNAVAILABLE);
        assertThat(e.httpStatus()).isEqualTo(500);
        assertThat(e.provider()).isEqualTo("pixflow");
        assertThat(e.operation()).isEqualTo("task.delete");
        assertThat(sandbox.requests("pixflow")).hasSize(4);
    }

    @Test
    void perProviderAttemptsApply() {
        sandbox.faults("pyrus").failAlways(502);
        TaskException e = Direct.failure(bundle.template(), "task.get", "{\"provider\":\"pyrus\",\"taskId\":1}");
        assertThat(e.reason()).isEqualTo(ErrorReason.UNAVAILABLE);
        // the fault also hits the token exchange: two attempts to reach Pyrus in all, as configured
        assertThat(sandbox.requests("pyrus")).hasSize(2);
    }

    @Test
    void droppedConnectionIsRetried() {
        sandbox.faults("pixflow").dropNext(1);
        assertThat(Direct.call(bundle.template(), "task.delete", DELETE).get("status").asText()).isEqualTo("ok");
        assertThat(sandbox.requests("pixflow")).hasSize(2);
    }

    @Test
    void invalidCommandsFailWithoutAnyCall() {
        assertThat(Direct.failure(bundle.template(), "task.delete", "{\"provider\":\"pixflow\"}").getMessage())
                .contains("taskId is required for task.delete");
        assertThat(Direct.failure(bundle.template(), "task.delete", "{\"taskId\":\"x\"}").getMessage())
                .contains("provider is required");
        TaskException unknown = Direct.failure(bundle.template(), "task.delete", "{\"provider\":\"trello\",\"taskId\":\"x\"}");
        assertThat(unknown.reason()).isEqualTo(ErrorReason.INVALID);
        assertThat(unknown.getMessage()).contains("unknown provider 'trello'");
        assertThat(Direct.failure(bundle.template(), "task.get", "{not json").reason()).isEqualTo(ErrorReason.INVALID);
        assertThat(sandbox.requests("pixflow")).isEmpty();
    }
}
