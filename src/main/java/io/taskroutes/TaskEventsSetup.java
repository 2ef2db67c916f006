package io.taskroutes;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.apache.camel.component.kafka.KafkaComponent;
import org.apache.camel.component.kafka.KafkaConfiguration;
import org.apache.camel.util.TimeUtils;
import org.apache.kafka.clients.CommonClientConfigs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.taskroutes.dispatch.ProviderRegistry;
import io.taskroutes.events.ChangeSource;
import io.taskroutes.events.EventFeeds;
import io.taskroutes.events.EventStore;

/**
 * Task events (contract §9) are on when {@code tasks.events.webhook.port} or a {@code tasks.<provider>.events.poll-interval}
 * is set: binds the event store and feeds and names the webhook and poll routes to add from {@code routes/events.yaml}.
 */
final class TaskEventsSetup {

    private static final Logger LOG = LoggerFactory.getLogger(TaskEventsSetup.class);

    private TaskEventsSetup() {
    }

    /** @return the routes to add: {template, provider, interval or null} */
    static List<String[]> configure(CamelContext context, ProviderRegistry registry) throws Exception {
        boolean webhooks = TaskRoutes.property(context, "tasks.events.webhook.port").filter(p -> !p.isBlank()).isPresent();
        if (webhooks && context.getClassResolver().resolveClass("org.apache.camel.component.netty.http.NettyHttpComponent") == null) {
            throw new IllegalStateException("tasks.events.webhook.port is set but camel-netty-http is not on the classpath:"
                    + " add org.apache.camel:camel-netty-http (the webhook receiver) to the application");
        }
        Map<String, ChangeSource> sources = new LinkedHashMap<>();
        Map<String, Duration> intervals = new LinkedHashMap<>();
        List<String[]> routes = new ArrayList<>();
        registry.providers().forEach((id, provider) -> {
            Optional<String> interval = TaskRoutes.property(context, "tasks." + id + ".events.poll-interval").filter(v -> !v.isBlank());
            if (!webhooks && interval.isEmpty()) {
                return; // events off for it: its webhook credentials are not even read
            }
            ChangeSource source = provider.changes(registry.config(id)).orElse(null);
            if (source == null) {
                return;
            }
            if (interval.isPresent()) {
                source.cannotPoll().ifPresent(reason -> {
                    throw new IllegalStateException("tasks." + id + ".events.poll-interval is set but " + id + " cannot be polled: " + reason);
                });
                intervals.put(id, Duration.ofMillis(TimeUtils.toMilliSeconds(interval.get().trim())));
                routes.add(new String[] {"task-events-poll", id, String.valueOf(intervals.get(id).toMillis())});
                sources.put(id, source);
            }
            if (webhooks && source.webhook().isPresent()) {
                routes.add(new String[] {"task-events-webhook", id, null});
                sources.put(id, source);
            } else if (webhooks && !id.equals("pixflow") && !id.equals("taskapi")) {
                LOG.info("task events: no webhook for {}: its webhook credentials are not set (see README, Events)", id);
            }
        });
        if (routes.isEmpty()) {
            return routes;
        }
        Properties producer = null;
        Properties consumer = null;
        Optional<String> brokers = TaskRoutes.property(context, "tasks.kafka.brokers").filter(b -> !b.isBlank());
        if (brokers.isPresent()) {
            KafkaConfiguration kafka = context.getComponent("kafka", KafkaComponent.class).getConfiguration().copy();
            producer = kafka.createProducerProperties();
            consumer = kafka.createConsumerProperties();
            producer.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, brokers.get());
            consumer.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, brokers.get());
        }
        String endpoint = TaskRoutes.property(context, "tasks.events.endpoint").filter(e -> !e.isBlank()).orElse(null);
        if (producer == null && endpoint == null) {
            throw new IllegalStateException("task events are on (a webhook port or a poll interval is set) but have nowhere to go:"
                    + " set tasks.kafka.brokers (the events topic) or tasks.events.endpoint (a Camel endpoint)");
        }
        EventStore store = new EventStore(context, new EventStore.Settings(
                setting(context, "tasks.events.topic"),
                setting(context, "tasks.events.state-topic"),
                setting(context, "tasks.events.transactional-id"),
                producer, consumer,
                endpoint,
                Duration.ofMillis(Long.parseLong(setting(context, "tasks.events.write-timeout-ms")))));
        context.addService(store, true, true);
        EventFeeds.Meters meters = Optional.ofNullable(
                context.getRegistry().lookupByNameAndType("taskRoutes.eventMeters", EventFeeds.Meters.class)).orElse(EventFeeds.Meters.NONE);
        // started by Camel, not stopped by it: a service of the context, so a host that stops its context stops it too
        org.apache.camel.ProducerTemplate template = context.createProducerTemplate();
        context.addService(template, true, false);
        EventFeeds feeds = new EventFeeds(store, sources, EventFeeds.calls(template),
                new EventFeeds.Settings(Duration.ofMillis(TimeUtils.toMilliSeconds(setting(context, "tasks.events.dedup-window"))),
                        Long.parseLong(setting(context, "tasks.events.webhook.max-bytes")), intervals,
                        Duration.ofMillis(Long.parseLong(setting(context, "tasks.events.webhook.wait-ms")))), meters);
        context.getRegistry().bind("taskRoutes.events", feeds);
        context.getRegistry().bind("taskRoutes.events.webhook", (org.apache.camel.Processor) feeds::webhook);
        context.getRegistry().bind("taskRoutes.events.poll", (org.apache.camel.Processor) feeds::poll);
        return routes;
    }

    static void addRoutes(CamelContext context, List<String[]> routes) {
        for (String[] route : routes) {
            TemplatedRouteBuilder builder = TemplatedRouteBuilder.builder(context, route[0])
                    .routeId(route[0] + "-" + route[1]).parameter("provider", route[1]);
            if (route[2] != null) {
                builder.parameter("interval", route[2]);
            }
            builder.add();
        }
    }

    private static String setting(CamelContext context, String key) {
        return TaskRoutes.property(context, key).orElseThrow(() -> new IllegalStateException(key + " is not set")).trim();
    }
}
