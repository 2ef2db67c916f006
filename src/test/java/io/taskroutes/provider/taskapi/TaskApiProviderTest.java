package io.taskroutes.provider.taskapi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.taskroutes.command.Operation;
import io.taskroutes.provider.HttpRequestSpec;
import io.taskroutes.provider.ProviderConfig;
import io.taskroutes.provider.ProviderContext;

/** Configuration: base URL and token, both required; comment and checklist delete are not offered. */
class TaskApiProviderTest {

    private static final TaskApiProvider PROVIDER = new TaskApiProvider();

    private static ProviderConfig config(Map<String, String> values) {
        return new ProviderConfig("taskapi", key -> Optional.ofNullable(values.get(key)));
    }

    @Test
    void withoutBaseUrlAndTokenBothKeysAreNamed() {
        assertThat(PROVIDER.missingSettings(config(Map.of()))).containsExactly("tasks.taskapi.base-url", "tasks.taskapi.token");
        assertThat(PROVIDER.missingSettings(config(Map.of("tasks.taskapi.base-url", "https://t", "tasks.taskapi.token", "s")))).isEmpty();
    }

    @Test
    void commentAndChecklistDeleteAreUnsupported() {
        assertThat(PROVIDER.operations()).doesNotContain(Operation.COMMENT, Operation.CHECKLIST_DELETE);
    }

    @Test
    void requestsAreSignedWithTheBearerToken() {
        var adapter = PROVIDER.create(new ProviderContext(config(Map.of("tasks.taskapi.base-url", "https://t",
                "tasks.taskapi.token", "sekret")), null));
        HttpRequestSpec plain = HttpRequestSpec.of("GET").path("/v2/task/view/task-1").build();
        assertThat(adapter.auth().sign(plain).headers()).isEqualTo(Map.of("Authorization", "Bearer sekret"));
        assertThat(adapter.auth().toString()).doesNotContain("sekret");
    }
}
