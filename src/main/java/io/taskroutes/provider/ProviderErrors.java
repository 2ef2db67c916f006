package io.taskroutes.provider;

import java.util.Iterator;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.taskroutes.errors.ErrorReason;
import io.taskroutes.errors.TaskException;

/** Shared pieces of response handling: classifying a non-2xx status, merging {@code native} fields. */
public final class ProviderErrors {

    private static final int MAX_BODY_IN_MESSAGE = 300;

    private ProviderErrors() {
    }

    /** A non-2xx answer classified by status (contract §5), with the provider's own words in the message. */
    public static TaskException fromStatus(String provider, HttpResponseView response, String detail) {
        String text = detail == null || detail.isBlank() ? snippet(response.bodyText()) : detail;
        return new TaskException(ErrorReason.forHttpStatus(response.status()),
                provider + " answered HTTP " + response.status() + (text.isEmpty() ? "" : ": " + text))
                .withHttpStatus(response.status())
                .withRetryAfter(response.retryAfter().orElse(null));
    }

    /** A business error inside a successful HTTP answer: never retried. */
    public static TaskException rejected(String provider, HttpResponseView response, String message) {
        return new TaskException(ErrorReason.REJECTED, provider + ": " + message).withHttpStatus(response.status());
    }

    public static String snippet(String body) {
        String oneLine = body == null ? "" : body.replaceAll("\\s+", " ").trim();
        return oneLine.length() > MAX_BODY_IN_MESSAGE ? oneLine.substring(0, MAX_BODY_IN_MESSAGE) + "…" : oneLine;
    }

    /** {@code native} wins over the canonical mapping, key by key (contract §3). */
    public static ObjectNode mergeNative(ObjectNode canonical, ObjectNode nativeFields) {
        if (nativeFields != null) {
            Iterator<Map.Entry<String, JsonNode>> it = nativeFields.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                canonical.set(e.getKey(), e.getValue());
            }
        }
        return canonical;
    }

    /** A JSON value as a form/query field value: text as is, anything structured as JSON. */
    public static String formValue(JsonNode value) {
        return value.isValueNode() ? value.asText() : value.toString();
    }
}
