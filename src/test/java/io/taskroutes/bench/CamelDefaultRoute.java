package io.taskroutes.bench;

import java.net.http.HttpClient;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * Baseline 1: the route a Camel user would write for this job, with camel-kafka's and camel-http's defaults: one
 * consumer thread that processes one record at a time (auto-commit, 500 records per poll), a camel-http call,
 * the provider's answer written to the result topic. The only option set beyond brokers and group is
 * {@code autoOffsetReset=earliest} (default: latest), so that nothing produced before the consumer's first
 * position lookup is skipped. Runs in the bench JVM.
 */
final class CamelDefaultRoute implements Contender {

    private final CamelContext camel;

    private CamelDefaultRoute(CamelContext camel) {
        this.camel = camel;
    }

    static Contender.Factory factory() {
        return (bench, topics, inFlight) -> start(bench, topics);
    }

    static CamelDefaultRoute start(Workbench bench, Workbench.Topics t) {
        PyrusApi pyrus = PyrusApi.of(bench.sandbox);
        String token = pyrus.accessToken(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build());
        String kafka = "?brokers=" + bench.brokers();
        CamelContext camel = new DefaultCamelContext();
        camel.getShutdownStrategy().setTimeout(15);
        try {
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("kafka:" + t.commands() + kafka + "&groupId=" + t.group() + "&autoOffsetReset=earliest")
                            .routeId("camel-kafka-default")
                            .setProperty("key", header(KafkaConstants.KEY))
                            .unmarshal().json(Map.class)
                            .setProperty("command", body())
                            // no Kafka header may become an HTTP header
                            .removeHeaders("*")
                            .setHeader(Exchange.HTTP_METHOD, constant("POST"))
                            .setHeader(Exchange.HTTP_PATH, simple("/tasks/${body[taskId]}/comments"))
                            .setHeader("Authorization", constant("Bearer " + token))
                            .setHeader(Exchange.CONTENT_TYPE, constant(PyrusApi.CONTENT_TYPE))
                            .setHeader("Accept", constant("application/json"))
                            .setBody(e -> Map.of("text", String.valueOf(e.getMessage().getBody(Map.class).get("text"))))
                            .marshal().json()
                            .to(pyrus.baseUrl())
                            .convertBodyTo(String.class)
                            .removeHeaders("*")
                            .setHeader(KafkaConstants.KEY, exchangeProperty("key"))
                            .setHeader("task.command-id", simple("${exchangeProperty.command[id]}"))
                            .setHeader("task.operation", constant("task.comment"))
                            .setHeader("task.provider", constant("pyrus"))
                            .to("kafka:" + t.results() + kafka);
                }
            });
            camel.start();
        } catch (Exception e) {
            camel.stop();
            throw new IllegalStateException("cannot start the camel-kafka default route", e);
        }
        return new CamelDefaultRoute(camel);
    }

    @Override
    public String name() {
        return "camel-kafka default route";
    }

    @Override
    public boolean isAlive() {
        return camel.isStarted();
    }

    @Override
    public void close() {
        camel.stop();
    }
}
