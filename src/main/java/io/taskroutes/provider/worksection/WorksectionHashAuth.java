package io.taskroutes.provider.worksection;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import io.taskroutes.provider.HttpRequestSpec;
import io.taskroutes.provider.ProviderAuth;

/**
 * Worksection admin API: {@code /api/admin/v2/?<query>&hash=<md5(query + api key)>}. The hash covers exactly
 * the encoded query string that is sent (everything before {@code &hash=}); the key itself never leaves.
 */
final class WorksectionHashAuth implements ProviderAuth {

    static final String PATH = "/api/admin/v2/";

    private final String apiKey;

    WorksectionHashAuth(String apiKey) {
        this.apiKey = apiKey;
    }

    @Override
    public HttpRequestSpec sign(HttpRequestSpec request) {
        String hash = hash(request.queryString(), apiKey);
        return request.toBuilder().path(PATH).query("hash", hash).build();
    }

    static String hash(String query, String apiKey) {
        try {
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            return HexFormat.of().formatHex(md5.digest((query + apiKey).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is part of every Java runtime", e);
        }
    }

    @Override
    public String toString() {
        return "WorksectionHashAuth[md5]";
    }
}
