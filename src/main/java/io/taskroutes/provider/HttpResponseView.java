package io.taskroutes.provider;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import io.taskroutes.command.Json;

/** A provider's HTTP answer as the response handlers see it: status, headers (lower-case names), body. */
public record HttpResponseView(int status, Map<String, String> headers, byte[] body) {

    public boolean isSuccess() {
        return status >= 200 && status < 300;
    }

    public Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
    }

    /** The body as JSON; a non-JSON body becomes a text node, an empty one a null node. */
    public JsonNode json() {
        return Json.readLenient(body);
    }

    public String bodyText() {
        return body == null ? "" : new String(body, StandardCharsets.UTF_8);
    }

    /** {@code Retry-After} as seconds or an HTTP date (RFC 9110), if present and readable. */
    public Optional<Duration> retryAfter() {
        return header("Retry-After").flatMap(HttpResponseView::parseRetryAfter);
    }

    static Optional<Duration> parseRetryAfter(String value) {
        String v = value.trim();
        try {
            return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(v))));
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                Duration d = Duration.between(Instant.now(), at);
                return Optional.of(d.isNegative() ? Duration.ZERO : d);
            } catch (RuntimeException notDate) {
                return Optional.empty();
            }
        }
    }

    /** A header holding a number of seconds (e.g. {@code X-RateLimit-Reset}), if present and numeric. */
    public Optional<Duration> secondsHeader(String name) {
        return header(name).flatMap(v -> {
            try {
                return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(v.trim()))));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        });
    }
}
