package io.taskroutes.provider.pyrus;

import com.fasterxml.jackson.databind.JsonNode;
import io.taskroutes.command.Json;
import io.taskroutes.errors.ErrorReason;
import io.taskroutes.errors.TaskException;
import io.taskroutes.provider.HttpRequestSpec;
import io.taskroutes.provider.HttpResponseView;
import io.taskroutes.provider.ProviderAuth;
import io.taskroutes.provider.ProviderContext;
import io.taskroutes.provider.ProviderErrors;

/**
 * Pyrus bot login: {@code login} + {@code security_key} are exchanged at the auth URL for an access token,
 * which is cached and used as a Bearer token until Pyrus answers 401; then it is exchanged once more, as the
 * official Pyrus clients do.
 */
final class PyrusLoginAuth implements ProviderAuth {

    private final String authUrl;
    private final String login;
    private final String securityKey;
    private final ProviderContext.AuxiliaryHttp http;
    private volatile String accessToken;

    PyrusLoginAuth(String authUrl, String login, String securityKey, ProviderContext.AuxiliaryHttp http) {
        this.authUrl = authUrl;
        this.login = login;
        this.securityKey = securityKey;
        this.http = http;
    }

    @Override
    public HttpRequestSpec sign(HttpRequestSpec request) {
        return request.toBuilder().header("Authorization", "Bearer " + token()).build();
    }

    @Override
    public synchronized boolean refresh() {
        accessToken = null;
        token();
        return true;
    }

    private synchronized String token() {
        if (accessToken == null) {
            accessToken = exchange();
        }
        return accessToken;
    }

    private String exchange() {
        HttpRequestSpec request = HttpRequestSpec.of("POST")
                .jsonBody(Json.object().put("login", login).put("security_key", securityKey))
                .build();
        HttpResponseView response = http.send(authUrl, request);
        JsonNode body = response.json();
        if (!response.isSuccess()) {
            String code = body.path("error_code").asText("");
            throw ProviderErrors.fromStatus(PyrusProvider.ID, response,
                    "login failed" + (code.isEmpty() ? "" : " (" + code + ")") + " " + body.path("error").asText(""));
        }
        String token = body.path("access_token").asText("");
        if (token.isEmpty()) {
            throw new TaskException(ErrorReason.UNAUTHORIZED, "pyrus login answered without access_token").withProvider(PyrusProvider.ID);
        }
        return token;
    }

    @Override
    public String toString() {
        return "PyrusLoginAuth[" + authUrl + "]";
    }
}
