package io.taskroutes.routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.taskroutes.errors.ErrorReason;
import io.taskroutes.errors.TaskException;
import io.taskroutes.testsupport.Direct;
import io.taskroutes.testsupport.SandboxBundle;

/** Providers without credentials, or with wrong ones. */
class ProviderConfigurationTest {

    @RegisterExtension
    static final SandboxBundle env = new SandboxBundle(Map.of(
                "tasks.kafka.enabled", "false",
                "tasks.pixflow.token", "",
                "tasks.pyrus.security-key", "wrong-key"));

    @Test
    void providerWithoutCredentialsIsInvalidNamingTheMissingKey() {
        TaskException e = Direct.failure(env.bundle().template(), "task.delete", "{\"provider\":\"pixflow\",\"taskId\":\"x\"}");
        assertThat(e.reason()).isEqualTo(ErrorReason.INVALID);
        assertThat(e.getMessage()).contains("pixflow is not configured").contains("tasks.pixflow.token");
        assertThat(env.sandbox().requests("pixflow")).isEmpty();
    }

    @Test
    void wrongPyrusCredentialsAreUnauthorized() {
        TaskException e = Direct.failure(env.bundle().template(), "task.get", "{\"provider\":\"pyrus\",\"taskId\":11611}");
        assertThat(e.reason()).isEqualTo(ErrorReason.UNAUTHORIZED);
        assertThat(e.getMessage()).contains("invalid_credentials").doesNotContain("wrong-key");
        assertThat(env.sandbox().requests("pyrus")).allMatch(r -> r.path().endsWith("/auth"));
    }
}
