package io.taskroutes.provider.tracker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.taskroutes.provider.HttpRequestSpec;
import io.taskroutes.provider.ProviderConfig;
import io.taskroutes.provider.ProviderContext;

/** Configuration: a token and exactly one organization header; OAuth or Bearer. */
class TrackerProviderTest {

    private static final TrackerProvider PROVIDER = new TrackerProvider();

    private static ProviderConfig config(Map<String, String> values) {
        return new ProviderConfig("yandex-tracker", key -> Optional.ofNullable(values.get(key)));
    }

    @Test
    void aTokenAndOneOrganizationAreEnough() {
        assertThat(PROVIDER.missingSettings(config(Map.of("tasks.yandex-tracker.base-url", "https://t",
                "tasks.yandex-tracker.token", "t", "tasks.yandex-tracker.org-id", "1")))).isEmpty();
    }

    @Test
    void noOrganizationOrBothAreNotConfiguredNamingTheKeys() {
        assertThat(PROVIDER.missingSettings(config(Map.of("tasks.yandex-tracker.base-url", "https://t",
                "tasks.yandex-tracker.token", "t"))))
                .containsExactly("exactly one of tasks.yandex-tracker.org-id or tasks.yandex-tracker.cloud-org-id");
        assertThat(PROVIDER.missingSettings(config(Map.of("tasks.yandex-tracker.base-url", "https://t",
                "tasks.yandex-tracker.token", "t", "tasks.yandex-tracker.org-id", "1", "tasks.yandex-tracker.cloud-org-id", "2"))))
                .containsExactly("exactly one of tasks.yandex-tracker.org-id or tasks.yandex-tracker.cloud-org-id (both are set)");
        assertThat(PROVIDER.missingSettings(config(Map.of("tasks.yandex-tracker.base-url", "https://t",
                "tasks.yandex-tracker.org-id", "1", "tasks.yandex-tracker.token-type", "Basic"))))
                .containsExactly("tasks.yandex-tracker.token", "tasks.yandex-tracker.token-type as OAuth or Bearer");
    }

    @Test
    void oauthWithOrgIdOrBearerWithCloudOrgId() {
        HttpRequestSpec plain = HttpRequestSpec.of("GET").path("/v3/issues/TEST-1").build();
        var oauth = PROVIDER.create(new ProviderContext(config(Map.of("tasks.yandex-tracker.base-url", "https://t/",
                "tasks.yandex-tracker.token", "tok", "tasks.yandex-tracker.org-id", "1")), null));
        assertThat(oauth.baseUrl()).isEqualTo("https://t");
        assertThat(oauth.auth().sign(plain).headers()).isEqualTo(Map.of("Authorization", "OAuth tok", "X-Org-ID", "1"));

        var iam = PROVIDER.create(new ProviderContext(config(Map.of("tasks.yandex-tracker.base-url", "https://t",
                "tasks.yandex-tracker.token", "iam", "tasks.yandex-tracker.token-type", "bearer",
                "tasks.yandex-tracker.cloud-org-id", "c1")), null));
        assertThat(iam.auth().sign(plain).headers()).isEqualTo(Map.of("Authorization", "Bearer iam", "X-Cloud-Org-ID", "c1"));
        assertThat(iam.auth().toString()).doesNotContain("iam ").doesNotContain("c1");
    }
}
