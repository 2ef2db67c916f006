package io.taskroutes.provider.tracker;

import java.util.Locale;

import io.taskroutes.provider.HttpRequestSpec;
import io.taskroutes.provider.ProviderAuth;

/**
 * {@code Authorization: OAuth <token>} (OAuth token) or {@code Bearer <IAM token>} (Yandex Cloud organization),
 * plus the organization header {@code X-Org-ID} (Yandex 360) or {@code X-Cloud-Org-ID} (Cloud organization).
 * Tokens are static: an IAM token (valid up to 12 h) must be renewed in the configuration, so a 401 is final.
 */
final class TrackerAuth implements ProviderAuth {

    static final String ORG_HEADER = "X-Org-ID";
    static final String CLOUD_ORG_HEADER = "X-Cloud-Org-ID";
    static final String DEFAULT_SCHEME = "OAuth";

    private final String scheme;
    private final String token;
    private final String orgHeader;
    private final String orgId;

    TrackerAuth(String tokenType, String token, String orgHeader, String orgId) {
        this.scheme = scheme(tokenType);
        this.token = token;
        this.orgHeader = orgHeader;
        this.orgId = orgId;
    }

    /** {@code OAuth} (the default) or {@code Bearer}, any case; null for anything else. */
    static String scheme(String tokenType) {
        if (tokenType == null || tokenType.isBlank()) {
            return DEFAULT_SCHEME;
        }
        return switch (tokenType.trim().toLowerCase(Locale.ROOT)) {
            case "oauth" -> "OAuth";
            case "bearer", "iam" -> "Bearer";
            default -> null;
        };
    }

    @Override
    public HttpRequestSpec sign(HttpRequestSpec request) {
        return request.toBuilder()
                .header("Authorization", scheme + " " + token)
                .header(orgHeader, orgId)
                .build();
    }

    @Override
    public String toString() {
        return "TrackerAuth[" + scheme + ", " + orgHeader + "]";
    }
}
