package io.taskroutes.sandbox;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.sun.net.httpserver.HttpExchange;

/**
 * One request a simulator received, as it arrived (faulted ones included).
 *
 * @param method  HTTP method, e.g. {@code POST}
 * @param path    the full decoded path, e.g. {@code /pyrus/v4/tasks/11611} or {@code /pyrus-accounts/api/v4/auth}
 * @param query   the raw query string, or null when there is none
 * @param headers header values by lower-case name
 * @param body    the raw body (empty when there is none)
 */
public record RecordedRequest(String method, String path, String query, Map<String, List<String>> headers, byte[] body,
                              java.time.Instant receivedAt) {

    public RecordedRequest {
        Map<String, List<String>> copy = new LinkedHashMap<>();
        if (headers != null) {
            headers.forEach((name, values) -> copy
                    .computeIfAbsent(name.toLowerCase(Locale.ROOT), n -> new ArrayList<>())
                    .addAll(values == null ? List.of() : values));
        }
        copy.replaceAll((name, values) -> List.copyOf(values));
        headers = Map.copyOf(copy);
        body = body == null ? new byte[0] : body.clone();
    }

    static RecordedRequest of(HttpExchange exchange, byte[] body) {
        // the raw path, as it went over the wire: tests check that command values stay percent-encoded
        return new RecordedRequest(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                exchange.getRequestURI().getRawQuery(), exchange.getRequestHeaders(), body, java.time.Instant.now());
    }

    /** A copy of the raw body (records would otherwise hand out the internal array). */
    @Override
    public byte[] body() {
        return body.clone();
    }

    public String bodyString() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** The first value of a header (name case-insensitive), or null. */
    public String header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** Text fields of a form-urlencoded or multipart body (first value per name); empty for other bodies. */
    public Map<String, String> formParams() {
        return FormData.textFields(FormData.parse(header("content-type"), body));
    }

    /** Method, path and query only: bodies carry credentials (the Pyrus token exchange) and must not reach logs. */
    @Override
    public String toString() {
        return method + " " + path + (query == null ? "" : "?" + query);
    }
}
