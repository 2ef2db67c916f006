package io.taskroutes.sandbox;

import java.time.Instant;
import java.util.Map;

/**
 * One webhook POST the sandbox made (or, for a webhook the provider has disabled, did not make).
 *
 * @param provider     provider id, e.g. {@code pyrus}; the POST went to {@code <webhooks base URL>/<provider>}
 * @param url          where it was sent
 * @param body         the exact body sent (UTF-8 JSON)
 * @param headers      the headers the sandbox set (signature, Basic auth, retry number, content type)
 * @param retry        0 for the first attempt, then 1, 2, … (Pyrus sends {@code X-Pyrus-Retry: <retry>/3} with them)
 * @param status       the receiver's HTTP status, 0 when there was no answer
 * @param responseBody the receiver's answer body ("" when there was none)
 * @param failure      null when the provider counts the answer as accepted; else why not ({@code HTTP 500},
 *                     {@code answer is not {"status":"OK"}}, the connection error, …)
 * @param sentAt       when the attempt started (system clock)
 */
public record WebhookDelivery(String provider, String url, String body, Map<String, String> headers, int retry,
                              int status, String responseBody, String failure, Instant sentAt) {

    public WebhookDelivery {
        headers = Map.copyOf(headers);
    }

    /** Whether the provider counts this attempt as delivered. */
    public boolean succeeded() {
        return failure == null;
    }

    /** A header the sandbox sent (name case-insensitive), or null. */
    public String header(String name) {
        return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue)
                .findFirst().orElse(null);
    }

    /** Provider, retry and outcome only: headers carry credentials and must not reach logs. */
    @Override
    public String toString() {
        return provider + " #" + retry + " -> " + (failure == null ? "HTTP " + status : failure);
    }
}
