package io.taskroutes.routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;
import io.taskroutes.errors.ErrorReason;
import io.taskroutes.errors.TaskException;
import io.taskroutes.testsupport.Direct;
import io.taskroutes.testsupport.SandboxBundle;

/** The one error policy: what is retried, how often, how long it waits, what the caller sees. */
class ErrorPolicyTest {

    static final String DELETE = "{\"provider\":\"pixflow\",\"taskId\":\"gsvyz98boa\"}";

    @RegisterExtension
    static final SandboxBundle env = new SandboxBundle(Map.of(
                "tasks.kafka.enabled", "false",
                "tasks.pixflow.retry.max-attempts", "4",
                "tasks.pyrus.retry.max-attempts", "2"));

    @Test
    void twoServiceUnavailableThenSuccessTakesThreeCalls() {
        env.sandbox().faults("pixflow").failNext(2, 503);
        JsonNode result = Direct.call(env.bundle().template(), "task.delete", DELETE);
        assertThat(result.get("status").asText()).isEqualTo("ok");
        assertThat(env.sandbox().requests("pixflow")).hasSize(3);
    }

    @Test
    void retryAfterIsHonoured() {
        env.sandbox().faults("pixflow").rateLimitNext(1, 1);
        long start = System.nanoTime();
        Direct.call(env.bundle().template(), "task.delete", DELETE);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
        assertThat(env.sandbox().requests("pixflow")).hasSize(2);
    }

    @Test
    void persistentServerErrorIsUnavailableAfterExactlyTheConfiguredAttempts() {
        env.sandbox().faults("pixflow").failAlways(500);
        TaskException e = Direct.failure(env.bundle().template(), "task.delete", DELETE);
        assertThat(e.reason()).isEqualTo(ErrorReason.UNAVAILABLE);
        assertThat(e.httpStatus()).isEqualTo(500);
        assertThat(e.provider()).isEqualTo("pixflow");
        assertThat(e.operation()).isEqualTo("task.delete");
        assertThat(env.sandbox().requests("pixflow")).hasSize(4);
    }

    @Test
    void perProviderAttemptsApply() {
        env.sandbox().faults("pyrus").failAlways(502);
        TaskException e = Direct.failure(env.bundle().template(), "task.get", "{\"provider\":\"pyrus\",\"taskId\":1}");
        assertThat(e.reason()).isEqualTo(ErrorReason.UNAVAILABLE);
        // the fault also hits the token exchange: two attempts to reach Pyrus in all, as configured
        assertThat(env.sandbox().requests("pyrus")).hasSize(2);
    }

    @Test
    void droppedConnectionIsRetried() {
        env.sandbox().faults("pixflow").dropNext(1);
        assertThat(Direct.call(env.bundle().template(), "task.delete", DELETE).get("status").asText()).isEqualTo("ok");
        assertThat(env.sandbox().requests("pixflow")).hasSize(2);
    }

    @Test
    void invalidCommandsFailWithoutAnyCall() {
        assertThat(Direct.failure(env.bundle().template(), "task.delete", "{\"provider\":\"pixflow\"}").getMessage())
                .contains("taskId is required for task.delete");
        assertThat(Direct.failure(env.bundle().template(), "task.delete", "{\"taskId\":\"x\"}").getMessage())
                .contains("provider is required");
        TaskException unknown = Direct.failure(env.bundle().template(), "task.delete", "{\"provider\":\"trello\",\"taskId\":\"x\"}");
        assertThat(unknown.reason()).isEqualTo(ErrorReason.INVALID);
        assertThat(unknown.getMessage()).contains("unknown provider 'trello'");
        assertThat(Direct.failure(env.bundle().template(), "task.get", "{not json").reason()).isEqualTo(ErrorReason.INVALID);
        assertThat(env.sandbox().requests("pixflow")).isEmpty();
    }
}
