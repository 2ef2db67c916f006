package io.taskroutes.dispatch;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.http.HttpMethods;

import io.taskroutes.provider.HttpRequestSpec;
import io.taskroutes.provider.HttpResponseView;

/** Moves a request description onto a Camel message for camel-http, and reads camel-http's answer back. */
final class HttpMessages {

    private HttpMessages() {
    }

    /**
     * Wipes every header first: inbound record headers (Authorization, X-Anything, kafka.*) would otherwise be
     * sent by camel-http as request headers. Then sets only what the provider needs.
     */
    static void write(Message message, String baseUrl, HttpRequestSpec request) {
        message.removeHeaders("*");
        // the enum camel-http reads, not the name: converting a String to it costs a type-converter lookup per call
        message.setHeader(Exchange.HTTP_METHOD, HttpMethods.valueOf(request.method()));
        message.setHeader(Exchange.HTTP_URI, baseUrl + request.pathAndQuery());
        message.setHeader("Accept", "application/json");
        request.headers().forEach(message::setHeader);
        if (request.body() != null) {
            message.setHeader(Exchange.CONTENT_TYPE, request.contentType());
        }
        message.setBody(request.body());
    }

    static HttpResponseView read(Message message) {
        Integer status = message.getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        Map<String, String> headers = new LinkedHashMap<>();
        message.getHeaders().forEach((name, value) -> {
            if (value != null && !name.startsWith("Camel")) {
                headers.put(name.toLowerCase(Locale.ROOT), String.valueOf(value));
            }
        });
        byte[] body = message.getBody(byte[].class);
        return new HttpResponseView(status == null ? 0 : status, headers, body == null ? new byte[0] : body);
    }
}
