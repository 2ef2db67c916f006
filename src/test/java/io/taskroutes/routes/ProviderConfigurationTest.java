package io.taskroutes.routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.taskroutes.errors.ErrorReason;
import io.taskroutes.errors.TaskException;
import io.taskroutes.sandbox.ProviderSandbox;
import io.taskroutes.testsupport.BundleUnderTest;
import io.taskroutes.testsupport.Direct;

/** Providers without credentials, or with wrong ones. */
class ProviderConfigurationTest {

    static ProviderSandbox sandbox;
    static BundleUnderTest bundle;

    @BeforeAll
    static void start() {
        sandbox = ProviderSandbox.start();
        bundle = BundleUnderTest.start(sandbox, Map.of(
                "tasks.kafka.enabled", "false",
                "tasks.pixflow.token", "",
                "tasks.pyrus.security-key", "wrong-key"));
    }

    @AfterAll
    static void stop() {
        bundle.close();
        sandbox.close();
    }

    @Test
    void providerWithoutCredentialsIsInvalidNamingTheMissingKey() {
        TaskException e = Direct.failure(bundle.template(), "task.delete", "{\"provider\":\"pixflow\",\"taskId\":\"x\"}");
        assertThat(e.reason()).isEqualTo(ErrorReason.INVALID);
        assertThat(e.getMessage()).contains("pixflow is not configured").contains("tasks.pixflow.token");
        assertThat(sandbox.requests("pixflow")).isEmpty();
    }

    @Test
    void wrongPyrusCredentialsAreUnauthorized() {
        TaskException e = Direct.failure(bundle.template(), "task.get", "{\"provider\":\"pyrus\",\"taskId\":11611}");
        assertThat(e.reason()).isEqualTo(ErrorReason.UNAUTHORIZED);
        assertThat(e.getMessage()).contains("invalid_credentials").doesNotContain("wrong-key");
        assertThat(sandbox.requests("pyrus")).allMatch(r -> r.path().endsWith("/auth"));
    }
}
