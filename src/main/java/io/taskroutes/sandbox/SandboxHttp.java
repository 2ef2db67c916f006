package io.taskroutes.sandbox;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;

/** Small helpers shared by the simulators: one Jackson mapper and JSON answers. */
final class SandboxHttp {

    static final ObjectMapper MAPPER = new ObjectMapper();

    private SandboxHttp() {
    }

    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /** Answers {@code status} with a JSON body (UTF-8) and the given extra headers. */
    static void json(HttpExchange exchange, int status, JsonNode body, Map<String, String> headers) throws IOException {
        byte[] bytes;
        try {
            bytes = MAPPER.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IOException("cannot write JSON", e);
        }
        headers.forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    static void json(HttpExchange exchange, int status, JsonNode body) throws IOException {
        json(exchange, status, body, Map.of());
    }

    /** The request path below {@code contextPath}, without a trailing slash ("" for the root). */
    static String subPath(HttpExchange exchange) {
        String path = exchange.getRequestURI().getPath();
        String context = exchange.getHttpContext().getPath();
        String rest = path.length() >= context.length() ? path.substring(context.length()) : "";
        while (rest.endsWith("/")) {
            rest = rest.substring(0, rest.length() - 1);
        }
        return rest;
    }
}
