package io.taskroutes.observability;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.Map;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Readiness of one configured provider: a TCP connect to its base URL's host and port. No HTTP request is made,
 * so no rate limit is spent and no credential is sent; the answer is cached for {@link #CACHE}.
 */
public final class ProviderHealthCheck extends AbstractHealthCheck {

    static final Duration CACHE = Duration.ofSeconds(30);
    static final int CONNECT_TIMEOUT_MS = 2000;

    private final String provider;
    private final String host;
    private final int port;
    private volatile long checkedAt;
    private volatile String problem;

    public ProviderHealthCheck(String provider, String baseUrl) {
        super("task-routes", "provider-" + provider);
        URI uri = URI.create(baseUrl);
        this.provider = provider;
        this.host = uri.getHost();
        this.port = uri.getPort() > 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
        this.checkedAt = -1;
    }

    @Override
    public boolean isLiveness() {
        // an unreachable provider is no reason to restart the bundle
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        long now = System.nanoTime();
        if (checkedAt < 0 || now - checkedAt > CACHE.toNanos()) {
            problem = connect();
            checkedAt = now;
        }
        builder.detail("provider", provider).detail("host", host).detail("port", port);
        if (problem == null) {
            builder.up();
        } else {
            builder.message(provider + " is not reachable at " + host + ":" + port + ": " + problem).down();
        }
    }

    private String connect() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MS);
            return null;
        } catch (IOException | IllegalArgumentException e) {
            return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage());
        }
    }
}
