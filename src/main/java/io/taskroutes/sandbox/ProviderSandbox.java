package io.taskroutes.sandbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * In-memory HTTP simulators of Pixflow and Pyrus on 127.0.0.1, for tests and the dev run (never prod).
 * One JDK {@link HttpServer} serves both providers under their own path prefixes; each provider has its
 * own {@link Faults} and request log.
 */
public final class ProviderSandbox implements AutoCloseable {

    public static final String PIXFLOW_TOKEN = "sandbox-pixflow-token";
    public static final String PYRUS_LOGIN = "bot@sandbox.local";
    public static final String PYRUS_SECURITY_KEY = "sandbox-pyrus-security-key";

    static final String PIXFLOW = "pixflow";
    static final String PYRUS = "pyrus";
    private static final System.Logger LOG = System.getLogger(ProviderSandbox.class.getName());
    private static final int THREADS = 16;
    private static final AtomicInteger SERVERS = new AtomicInteger();

    /** A simulator's request handler. */
    private interface Handler {
        void handle(HttpExchange exchange, RecordedRequest request) throws IOException;
    }

    /** One provider's fault settings, request log and dialect for fault answers. */
    private record Provider(Faults faults, List<RecordedRequest> log, SimulatedProvider simulator) {
        List<RecordedRequest> snapshot() {
            synchronized (log) {
                return List.copyOf(log);
            }
        }
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final int port;
    private final PixflowSimulator pixflow;
    private final PyrusSimulator pyrus;
    private final Map<String, Provider> providers;

    private ProviderSandbox(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
        this.port = server.getAddress().getPort();
        this.pixflow = new PixflowSimulator();
        this.pyrus = new PyrusSimulator(baseUrl(PYRUS), "http://127.0.0.1:" + port + "/pyrus-files/");
        this.providers = Map.of(
                PIXFLOW, new Provider(new Faults(), new ArrayList<>(), pixflow),
                PYRUS, new Provider(new Faults(), new ArrayList<>(), pyrus));
        server.createContext("/pixflow/api/v1", route(PIXFLOW, pixflow::handle));
        server.createContext("/pyrus/v4", route(PYRUS, pyrus::handleApi));
        server.createContext("/pyrus-accounts/api/v4", route(PYRUS, pyrus::handleAuth));
        server.createContext("/", exchange -> {
            try (exchange) {
                exchange.getRequestBody().readAllBytes();
                SandboxHttp.json(exchange, 404, SandboxHttp.object().put("error", "no provider serves this path"));
            }
        });
    }

    /** Starts on a free port of 127.0.0.1. */
    public static ProviderSandbox start() {
        return start(0);
    }

    /** Starts on {@code port} of 127.0.0.1 (0 = any free port). */
    public static ProviderSandbox start(int port) {
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            // without TCP_NODELAY small answers can wait ~40 ms on delayed ACKs (read once, at first server start)
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the provider sandbox on 127.0.0.1:" + port, e);
        }
        int serverNumber = SERVERS.incrementAndGet();
        AtomicInteger threadNumber = new AtomicInteger();
        ExecutorService executor = Executors.newFixedThreadPool(THREADS, runnable -> {
            Thread thread = new Thread(runnable,
                    "provider-sandbox-" + serverNumber + "-" + threadNumber.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        ProviderSandbox sandbox = new ProviderSandbox(server, executor);
        server.start();
        return sandbox;
    }

    public int port() {
        return port;
    }

    /** {@code pixflow} -> http://127.0.0.1:P/pixflow/api/v1 ; {@code pyrus} -> http://127.0.0.1:P/pyrus/v4 */
    public String baseUrl(String provider) {
        return switch (key(provider)) {
            case PIXFLOW -> "http://127.0.0.1:" + port + "/pixflow/api/v1";
            case PYRUS -> "http://127.0.0.1:" + port + "/pyrus/v4";
            default -> throw new IllegalArgumentException("unknown provider: " + provider);
        };
    }

    public String pyrusAuthUrl() {
        return "http://127.0.0.1:" + port + "/pyrus-accounts/api/v4/auth";
    }

    /** The provider's fault injection (Pyrus faults cover its auth endpoint too). */
    public Faults faults(String provider) {
        return provider(provider).faults();
    }

    /** Every request received for the provider, in arrival order (Pyrus: auth and API calls). A copy. */
    public List<RecordedRequest> requests(String provider) {
        return provider(provider).snapshot();
    }

    public PyrusSimulator pyrus() {
        return pyrus;
    }

    public PixflowSimulator pixflow() {
        return pixflow;
    }

    /** Clears recorded requests and faults and restores the seeded state of both simulators. */
    public void reset() {
        for (Provider provider : providers.values()) {
            synchronized (provider.log()) {
                provider.log().clear();
            }
            provider.faults().clear();
            provider.simulator().reset();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private Provider provider(String name) {
        Provider provider = providers.get(key(name));
        if (provider == null) {
            throw new IllegalArgumentException("unknown provider: " + name);
        }
        return provider;
    }

    private static String key(String provider) {
        return provider == null ? "" : provider.trim().toLowerCase(Locale.ROOT);
    }

    /** Records the request, applies the provider's faults, then hands it to the simulator. */
    private com.sun.net.httpserver.HttpHandler route(String name, Handler handler) {
        Provider provider = providers.get(name);
        return exchange -> {
            try {
                RecordedRequest request = RecordedRequest.of(exchange, exchange.getRequestBody().readAllBytes());
                synchronized (provider.log()) {
                    provider.log().add(request);
                }
                Duration latency = provider.faults().latency();
                if (!latency.isZero()) {
                    Thread.sleep(latency.toMillis(), latency.toNanosPart() % 1_000_000);
                }
                Faults.Action fault = provider.faults().next();
                if (fault == null) {
                    handler.handle(exchange, request);
                } else if (fault.kind() == Faults.Kind.DROP) {
                    // closing before any response headers makes the JDK server close the socket itself
                    exchange.close();
                } else if (fault.kind() == Faults.Kind.RATE_LIMIT) {
                    provider.simulator().answerRateLimited(exchange, fault.value());
                } else {
                    provider.simulator().answerFault(exchange, fault.value());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // shutting down: just drop the connection
            } catch (RuntimeException | IOException e) {
                LOG.log(System.Logger.Level.WARNING, "provider sandbox (" + name + ") failed on "
                        + exchange.getRequestMethod() + " " + exchange.getRequestURI(), e);
                try {
                    provider.simulator().answerFault(exchange, 500);
                } catch (IOException | RuntimeException ignored) {
                    // headers already sent or connection gone; closing below is all that is left
                }
            } finally {
                exchange.close();
            }
        };
    }
}
