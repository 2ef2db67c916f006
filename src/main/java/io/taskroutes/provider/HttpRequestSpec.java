package io.taskroutes.provider;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a provider call should look like, produced by a provider's mapper without any I/O: method, a path
 * whose command-supplied segments are already percent-encoded, query pairs, headers and a body.
 * {@code body} is {@code byte[]} or, for multipart, an HttpClient {@code HttpEntity}.
 */
public record HttpRequestSpec(String method, String path, List<Map.Entry<String, String>> query,
                              Map<String, String> headers, Object body, String contentType) {

    public static Builder of(String method) {
        return new Builder(method);
    }

    public Builder toBuilder() {
        Builder b = new Builder(method);
        b.path.append(path);
        b.query.addAll(query);
        b.headers.putAll(headers);
        b.body = body;
        b.contentType = contentType;
        return b;
    }

    /** Path plus encoded query, relative to the provider's configured base URL. */
    public String pathAndQuery() {
        if (query.isEmpty()) {
            return path;
        }
        StringBuilder sb = new StringBuilder(path).append('?');
        sb.append(queryString());
        return sb.toString();
    }

    public String queryString() {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, String> pair : query) {
            if (sb.length() > 0) {
                sb.append('&');
            }
            sb.append(encode(pair.getKey())).append('=').append(encode(pair.getValue()));
        }
        return sb.toString();
    }

    /** Form/query encoding with %20 for spaces, which every server reads the same way. */
    public static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /**
     * Encodes one path segment so that no command value can change the path: '/' and '?' are escaped, and a
     * segment of only dots (".", "..") is escaped too because clients would otherwise collapse it.
     */
    public static String encodeSegment(String segment) {
        if (segment.chars().allMatch(c -> c == '.')) {
            return "%2E".repeat(segment.length());
        }
        return encode(segment);
    }

    public static final class Builder {
        private final String method;
        private final StringBuilder path = new StringBuilder();
        private final List<Map.Entry<String, String>> query = new ArrayList<>();
        private final Map<String, String> headers = new LinkedHashMap<>();
        private Object body;
        private String contentType;

        private Builder(String method) {
            this.method = method;
        }

        /** A fixed part of the path, written as is (e.g. "/tasks"). */
        public Builder path(String literal) {
            path.append(literal);
            return this;
        }

        /** A path segment taken from a command value: always encoded. */
        public Builder segment(String value) {
            path.append('/').append(encodeSegment(value));
            return this;
        }

        public Builder query(String name, Object value) {
            if (value != null) {
                query.add(Map.entry(name, String.valueOf(value)));
            }
            return this;
        }

        public Builder header(String name, String value) {
            headers.put(name, value);
            return this;
        }

        public Builder body(Object body, String contentType) {
            this.body = body;
            this.contentType = contentType;
            return this;
        }

        public Builder jsonBody(Object json) {
            return body(io.taskroutes.command.Json.writeBytes(json), "application/json; charset=UTF-8");
        }

        public Builder formBody(List<Map.Entry<String, String>> fields) {
            StringBuilder sb = new StringBuilder();
            for (Map.Entry<String, String> field : fields) {
                if (sb.length() > 0) {
                    sb.append('&');
                }
                sb.append(encode(field.getKey())).append('=').append(encode(field.getValue()));
            }
            return body(sb.toString().getBytes(StandardCharsets.UTF_8), "application/x-www-form-urlencoded; charset=UTF-8");
        }

        public HttpRequestSpec build() {
            return new HttpRequestSpec(method, path.toString(), List.copyOf(query), Map.copyOf(headers), body, contentType);
        }
    }
}
