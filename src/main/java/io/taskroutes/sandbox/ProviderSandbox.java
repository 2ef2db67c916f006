package io.taskroutes.sandbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * In-memory HTTP simulators of the providers on 127.0.0.1, for tests and the dev run (never prod).
 * One JDK {@link HttpServer} serves every {@link SimulatedProvider} under its own path prefixes; each provider
 * has its own {@link Faults} and request log. With {@link #webhooks(String)} the simulators push change
 * notifications as Pyrus, Worksection and Tracker do ({@link #webhookDeliveries()} records them); {@link #clock(Clock)}
 * sets the time they write.
 */
public final class ProviderSandbox implements AutoCloseable {

    public static final String PIXFLOW_TOKEN = "sandbox-pixflow-token";
    public static final String PYRUS_LOGIN = "bot@sandbox.local";
    public static final String PYRUS_SECURITY_KEY = "sandbox-pyrus-security-key";
    /** HTTP Basic credentials Worksection sends with its webhooks (the webhook's {@code http_user}/{@code http_pass}). */
    public static final String WORKSECTION_WEBHOOK_USER = "sandbox-worksection-hook";
    public static final String WORKSECTION_WEBHOOK_PASSWORD = "sandbox-worksection-hook-password";
    /** HTTP Basic credentials of the Tracker trigger's webhook action. */
    public static final String TRACKER_WEBHOOK_USER = "sandbox-tracker-hook";
    public static final String TRACKER_WEBHOOK_PASSWORD = "sandbox-tracker-hook-password";

    static final String PIXFLOW = "pixflow";
    static final String PYRUS = "pyrus";
    private static final System.Logger LOG = System.getLogger(ProviderSandbox.class.getName());
    // latency is simulated by sleeping, so every concurrent call needs its own thread (the bundle runs up to 64+ at once)
    private static final int THREADS = 256;
    private static final AtomicInteger SERVERS = new AtomicInteger();

    /** One provider's fault settings, request log and dialect for fault answers. */
    private record Provider(Faults faults, List<RecordedRequest> log, SimulatedProvider simulator,
                            AtomicInteger active, AtomicInteger peak) {
        List<RecordedRequest> snapshot() {
            synchronized (log) {
                return List.copyOf(log);
            }
        }
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final int port;
    private final String root;
    private final Map<String, Provider> providers = new LinkedHashMap<>();
    private final WebhookSender webhooks;

    private ProviderSandbox(HttpServer server, ExecutorService executor, String name) {
        this.server = server;
        this.executor = executor;
        this.port = server.getAddress().getPort();
        this.root = "http://127.0.0.1:" + port;
        this.webhooks = new WebhookSender(name + "-webhooks");
        for (SimulatedProvider simulator : ServiceLoader.load(SimulatedProvider.class, SimulatedProvider.class.getClassLoader())) {
            simulator.attach(root);
            simulator.webhooks(webhooks);
            providers.put(simulator.id(), new Provider(new Faults(), new ArrayList<>(), simulator, new AtomicInteger(), new AtomicInteger()));
            simulator.contexts().forEach((prefix, handler) -> server.createContext(prefix, route(simulator.id(), handler)));
        }
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
        ProviderSandbox sandbox = new ProviderSandbox(server, executor, "provider-sandbox-" + serverNumber);
        server.start();
        return sandbox;
    }

    public int port() {
        return port;
    }

    /** The provider's API base URL, e.g. {@code pyrus} -> http://127.0.0.1:P/pyrus/v4 */
    public String baseUrl(String provider) {
        return provider(provider).simulator().clientProperties(root).get("tasks." + key(provider) + ".base-url");
    }

    public String pyrusAuthUrl() {
        return clientProperties().get("tasks.pyrus.auth-url");
    }

    /** Every simulator's {@code tasks.<id>.*} settings: what a bundle needs to use this sandbox for all providers. */
    public Map<String, String> clientProperties() {
        Map<String, String> properties = new LinkedHashMap<>();
        providers.values().forEach(p -> properties.putAll(p.simulator().clientProperties(root)));
        return properties;
    }

    /** The ids of the simulated providers. */
    public java.util.Set<String> providerIds() {
        return java.util.Set.copyOf(providers.keySet());
    }

    /** The simulator of the given type, for provider-specific test controls. */
    public <T extends SimulatedProvider> T simulator(Class<T> type) {
        return providers.values().stream().map(Provider::simulator).filter(type::isInstance).map(type::cast)
                .findFirst().orElseThrow(() -> new IllegalArgumentException("no simulator " + type.getSimpleName()));
    }

    /**
     * Turns change notifications on ({@code baseUrl}, e.g. {@code http://127.0.0.1:8080/events}) or off (null or
     * blank; off at start). When on, a simulator whose provider pushes webhooks POSTs {@code <baseUrl>/<provider id>}
     * ({@code /pyrus}, {@code /worksection}, {@code /yandex-tracker}) after it has answered the API call that changed
     * a task: asynchronously, on one background thread of this sandbox, in the order of the changes. Pixflow and Task
     * API send none. Kept across {@link #reset()}.
     */
    public void webhooks(String baseUrl) {
        webhooks.baseUrl(baseUrl);
    }

    /**
     * How long Pyrus waits before its first retry of a failed webhook (the second waits twice as long, as Pyrus's
     * 61 s and 122 s); 200 ms unless set. Kept across {@link #reset()}.
     */
    public void webhookRetryDelay(Duration delay) {
        webhooks.retryDelay(delay);
    }

    /** Every webhook attempt since start or {@link #reset()}, in the order they were made. A copy. */
    public List<WebhookDelivery> webhookDeliveries() {
        return webhooks.deliveries();
    }

    /** The provider's fault injection (Pyrus faults cover its auth endpoint too). */
    public Faults faults(String provider) {
        return provider(provider).faults();
    }

    /** Every request received for the provider, in arrival order (Pyrus: auth and API calls). A copy. */
    public List<RecordedRequest> requests(String provider) {
        return provider(provider).snapshot();
    }

    /** The most requests to the provider that were being answered at the same moment, since start or reset. */
    public int peakConcurrency(String provider) {
        return provider(provider).peak().get();
    }

    /** Requests to the provider being answered right now (held ones included). */
    public int activeRequests(String provider) {
        return provider(provider).active().get();
    }

    public PyrusSimulator pyrus() {
        return simulator(PyrusSimulator.class);
    }

    public PixflowSimulator pixflow() {
        return simulator(PixflowSimulator.class);
    }

    public WorksectionSimulator worksection() {
        return simulator(WorksectionSimulator.class);
    }

    public TrackerSimulator tracker() {
        return simulator(TrackerSimulator.class);
    }

    public TaskApiSimulator taskApi() {
        return simulator(TaskApiSimulator.class);
    }

    /**
     * The clock every simulator reads for the dates it writes (task creation and change times, events), e.g.
     * {@code Clock.fixed(...)} set again whenever a test wants time to move; {@link #reset()} restores the system
     * clock. (Rate-limit windows and request log times stay on the system clock.)
     */
    public void clock(Clock clock) {
        providers.values().forEach(p -> p.simulator().clock(clock == null ? Clock.systemUTC() : clock));
    }

    /**
     * Clears recorded requests, faults and webhook deliveries (webhooks not sent yet are dropped), restores the
     * system clock and the seeded state of every simulator. The webhook base URL and retry delay stay.
     */
    public void reset() {
        webhooks.reset();
        clock(Clock.systemUTC());
        for (Provider provider : providers.values()) {
            synchronized (provider.log()) {
                provider.log().clear();
            }
            provider.faults().clear();
            provider.simulator().reset();
            provider.peak().set(provider.active().get());
        }
    }

    @Override
    public void close() {
        server.stop(0);
        webhooks.close();
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
    private com.sun.net.httpserver.HttpHandler route(String name, SimulatedProvider.Handler handler) {
        Provider provider = providers.get(name);
        return exchange -> {
            provider.peak().accumulateAndGet(provider.active().incrementAndGet(), Math::max);
            webhooks.beginRequest();
            try {
                RecordedRequest request = RecordedRequest.of(exchange, exchange.getRequestBody().readAllBytes());
                synchronized (provider.log()) {
                    provider.log().add(request);
                }
                Duration latency = provider.faults().latency();
                if (!latency.isZero()) {
                    Thread.sleep(latency.toMillis(), latency.toNanosPart() % 1_000_000);
                }
                provider.faults().awaitRelease(request);
                Faults.Action fault = provider.faults().next();
                if (fault == null || fault.kind() == Faults.Kind.PASS) {
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
                provider.active().decrementAndGet();
                try {
                    exchange.close();
                } finally {
                    webhooks.endRequest(); // answered: what the call changed may be sent now
                }
            }
        };
    }
}
