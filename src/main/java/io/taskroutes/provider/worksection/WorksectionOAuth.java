package io.taskroutes.provider.worksection;

import io.taskroutes.provider.HttpRequestSpec;
import io.taskroutes.provider.ProviderAuth;

/**
 * Worksection OAuth 2: {@code /api/oauth2?<query>} with {@code Authorization: Bearer <token>}. Only a static
 * access token is supported (no refresh token is configured), so a 401 is final.
 */
final class WorksectionOAuth implements ProviderAuth {

    static final String PATH = "/api/oauth2";

    private final String token;

    WorksectionOAuth(String token) {
        this.token = token;
    }

    @Override
    public HttpRequestSpec sign(HttpRequestSpec request) {
        return request.toBuilder().path(PATH).header("Authorization", "Bearer " + token).build();
    }

    @Override
    public String toString() {
        return "WorksectionOAuth[bearer]";
    }
}
