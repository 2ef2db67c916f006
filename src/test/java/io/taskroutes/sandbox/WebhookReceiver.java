package io.taskroutes.sandbox;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;

/** A tiny webhook endpoint for the tests: records every POST to {@code /hooks/<provider>} and answers as told. */
final class WebhookReceiver implements AutoCloseable {

    record Received(String provider, Map<String, List<String>> headers, byte[] body) {
        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }

        String bodyString() {
            return new String(body, StandardCharsets.UTF_8);
        }

        JsonNode json() {
            try {
                return SandboxClient.JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + bodyString(), e);
            }
        }
    }

    private record Answer(int status, String body) {
    }

    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final Map<String, Deque<Answer>> next = new HashMap<>(); // guarded by this
    private final Map<String, Answer> always = new HashMap<>(); // guarded by this

    private WebhookReceiver(HttpServer server) {
        this.server = server;
        server.createContext("/hooks/", exchange -> {
            try (exchange) {
                String provider = exchange.getRequestURI().getPath().substring("/hooks/".length());
                received.add(new Received(provider, Map.copyOf(exchange.getRequestHeaders()),
                        exchange.getRequestBody().readAllBytes()));
                Answer answer = answerFor(provider);
                byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
                if (bytes.length > 0) {
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(bytes);
                    }
                }
            }
        });
        server.start();
    }

    static WebhookReceiver start() {
        try {
            return new WebhookReceiver(HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The base URL to give {@link ProviderSandbox#webhooks(String)}. */
    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hooks";
    }

    /** Every request for {@code provider}, in arrival order. */
    List<Received> received(String provider) {
        return received.stream().filter(r -> r.provider().equals(provider)).toList();
    }

    /** The next {@code times} requests for {@code provider} get this answer. */
    synchronized WebhookReceiver answerNext(String provider, int times, int status, String body) {
        Deque<Answer> answers = next.computeIfAbsent(provider, p -> new ArrayDeque<>());
        for (int i = 0; i < times; i++) {
            answers.add(new Answer(status, body));
        }
        return this;
    }

    /** Requests for {@code provider} get this answer from now on (after any {@link #answerNext}). */
    synchronized WebhookReceiver answerAlways(String provider, int status, String body) {
        always.put(provider, new Answer(status, body));
        return this;
    }

    synchronized void clear() {
        received.clear();
        next.clear();
        always.clear();
    }

    /** Worksection's expected {@code 200 {"status":"OK"}} for it, an empty 200 for the others. */
    private synchronized Answer answerFor(String provider) {
        Deque<Answer> answers = next.get(provider);
        if (answers != null && !answers.isEmpty()) {
            return answers.poll();
        }
        Answer answer = always.get(provider);
        if (answer != null) {
            return answer;
        }
        return provider.equals("worksection") ? new Answer(200, "{\"status\":\"OK\"}") : new Answer(200, "");
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
