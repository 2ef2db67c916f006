package io.taskroutes.testsupport;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.main.Main;

import io.taskroutes.TaskRoutes;
import io.taskroutes.app.Profiles;
import io.taskroutes.sandbox.ProviderSandbox;

/**
 * The real Camel Main setup of the bundle (application.properties, YAML routes, error policy) pointed at the
 * shared test broker and a sandbox, with topics and group id of its own so test classes never interfere.
 */
public final class BundleUnderTest implements AutoCloseable {

    private final Main main;
    private final String prefix;
    private ProducerTemplate template;

    private BundleUnderTest(Main main, String prefix) {
        this.main = main;
        this.prefix = prefix;
    }

    public static BundleUnderTest start(ProviderSandbox sandbox, Map<String, String> overrides) {
        return start(sandbox, overrides, 1);
    }

    /** Creates this instance's topics first ({@code partitions} each), so consumers never race topic creation. */
    public static BundleUnderTest start(ProviderSandbox sandbox, Map<String, String> overrides, int partitions) {
        return start(sandbox, overrides, partitions, newPrefix());
    }

    public static String newPrefix() {
        return "t" + UUID.randomUUID().toString().substring(0, 8) + ".";
    }

    /** An instance on the topics and group of {@code prefix}: two with the same prefix share the work. */
    public static BundleUnderTest start(ProviderSandbox sandbox, Map<String, String> overrides, int partitions, String prefix) {
        Map<String, String> props = new LinkedHashMap<>();
        boolean kafka = !"false".equals(overrides.get("tasks.kafka.enabled"));
        if (kafka) {
            props.put("tasks.kafka.brokers", TestKafka.bootstrap()); // direct-only bundles need no broker at all
        }
        props.put("tasks.kafka.group-id", prefix + "group");
        props.put("tasks.kafka.result-topic", prefix + "task.results");
        props.put("tasks.kafka.dlq-topic", prefix + "task.dlq");
        for (String op : new String[] {"task.get", "task.list", "task.create", "task.update", "task.delete", "task.comment", "task.checklist.delete"}) {
            props.put("tasks.kafka.topic." + op.replace('.', '-'), prefix + op);
        }
        if (kafka) {
            props.forEach((key, topic) -> {
                if (key.startsWith("tasks.kafka.topic.") || key.endsWith("result-topic") || key.endsWith("dlq-topic")) {
                    TestKafka.createTopic(topic, partitions);
                }
            });
        }
        props.putAll(sandbox.clientProperties());
        // fast retries in tests; the policy's shape (doubling, cap, Retry-After) stays the same
        props.put("tasks.retry.initial-delay-ms", "20");
        props.put("tasks.retry.max-delay-ms", "5000");
        props.put("camel.main.shutdown-timeout", "5");
        // a record stuck on an unwritable dead-letter topic must not hold a test's stop for the default 20 s
        props.put("tasks.kafka.drain-timeout-ms", "4000");
        props.putAll(overrides);
        Main main = new Main();
        main.configure().addRoutesBuilder(new TaskRoutes());
        main.addMainListener(new Profiles());
        props.forEach(main::addOverrideProperty);
        try {
            main.start();
        } catch (Exception e) {
            throw new IllegalStateException("bundle did not start", e);
        }
        return new BundleUnderTest(main, prefix);
    }

    public CamelContext context() {
        return main.getCamelContext();
    }

    public ProducerTemplate template() {
        if (template == null) {
            template = context().createProducerTemplate();
        }
        return template;
    }

    /** Topic name as this bundle instance sees it, e.g. {@code topic("task.delete")}. */
    public String topic(String name) {
        return prefix + name;
    }

    public String groupId() {
        return prefix + "group";
    }

    @Override
    public void close() {
        try {
            main.stop();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
