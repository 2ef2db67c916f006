package io.taskroutes.events;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.taskroutes.provider.ProviderConfig;

/** The ways providers authenticate their webhook requests; every comparison takes the same time whatever matches. */
public final class WebhookAuth {

    private WebhookAuth() {
    }

    /** Pyrus: {@code X-Pyrus-Sig} is the hex HMAC-SHA1 of the raw body keyed with the bot's security key, any case. */
    public static boolean hmacSha1Hex(byte[] body, String signature, String key) {
        if (signature == null || key == null) {
            return false;
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            byte[] expected = HexFormat.of().formatHex(mac.doFinal(body)).getBytes(StandardCharsets.US_ASCII);
            return MessageDigest.isEqual(expected, signature.trim().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is not available", e);
        }
    }

    /**
     * Basic credentials ({@code tasks.<provider>.events.webhook-user} and {@code -password}) or a shared secret in
     * header {@code X-Webhook-Secret} ({@code tasks.<provider>.events.webhook-secret}); empty when neither is configured.
     */
    public static Optional<java.util.function.BiPredicate<byte[], Function<String, String>>> basicOrSecret(ProviderConfig config) {
        Optional<String> user = config.get("events.webhook-user");
        Optional<String> password = config.get("events.webhook-password");
        Optional<String> secret = config.get("events.webhook-secret");
        if (user.isEmpty() && secret.isEmpty()) {
            return Optional.empty();
        }
        if (user.isPresent() && password.isEmpty()) {
            throw new IllegalStateException(config.key("events.webhook-user") + " is set without "
                    + config.key("events.webhook-password") + ": a webhook with an empty password would be open to anyone");
        }
        byte[] basic = user.map(u -> ("Basic " + Base64.getEncoder().encodeToString(
                (u + ":" + password.orElse("")).getBytes(StandardCharsets.UTF_8))).getBytes(StandardCharsets.UTF_8)).orElse(null);
        byte[] shared = secret.map(s -> s.getBytes(StandardCharsets.UTF_8)).orElse(null);
        return Optional.of((body, header) -> {
            String authorization = header.apply("Authorization");
            String given = header.apply("X-Webhook-Secret");
            boolean basicOk = basic != null && authorization != null
                    && MessageDigest.isEqual(basic, normalizeScheme(authorization).getBytes(StandardCharsets.UTF_8));
            boolean secretOk = shared != null && given != null && MessageDigest.isEqual(shared, given.getBytes(StandardCharsets.UTF_8));
            return basicOk || secretOk;
        });
    }

    /** The scheme name is case-insensitive (RFC 7617); the credentials are not. */
    private static String normalizeScheme(String authorization) {
        String trimmed = authorization.trim();
        return trimmed.regionMatches(true, 0, "Basic ", 0, 6) ? "Basic " + trimmed.substring(6).trim() : trimmed;
    }

    /** A webhook body as JSON; anything else is refused with 400. */
    public static com.fasterxml.jackson.databind.JsonNode json(byte[] body) {
        try {
            com.fasterxml.jackson.databind.JsonNode node = io.taskroutes.command.Json.MAPPER.readTree(body);
            if (node == null || node.isMissingNode()) {
                throw new Malformed("the body is empty");
            }
            return node;
        } catch (java.io.IOException e) {
            throw new Malformed("the body is not JSON");
        }
    }

    /** A webhook body that cannot be read: answered 400 with this message (ours, never the body's text). */
    public static final class Malformed extends IllegalArgumentException {
        public Malformed(String message) {
            super(message);
        }
    }
}
