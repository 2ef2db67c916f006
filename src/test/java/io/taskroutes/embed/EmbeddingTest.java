package io.taskroutes.embed;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Properties;

import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import io.taskroutes.TaskRoutes;
import io.taskroutes.errors.ErrorReason;
import io.taskroutes.errors.TaskException;
import io.taskroutes.sandbox.ProviderSandbox;
import io.taskroutes.testsupport.Direct;

/**
 * The bundle inside someone else's Camel application: the host adds {@code new TaskRoutes()} and the provider
 * properties, with Kafka off, and gets every {@code direct:task.<op>} endpoint. Neither host uses the bundle's
 * Main nor its profiles, so no broker is configured or needed.
 */
class EmbeddingTest {

    static ProviderSandbox sandbox;

    @BeforeAll
    static void start() {
        sandbox = ProviderSandbox.start();
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    private static Properties hostProperties() {
        Properties props = new Properties();
        props.put("tasks.kafka.enabled", "false");
        props.put("tasks.retry.initial-delay-ms", "20");
        props.putAll(sandbox.clientProperties());
        return props;
    }

    @Test
    void plainCamelContextHostGetsTheDirectEndpoints() throws Exception {
        try (CamelContext host = new DefaultCamelContext()) {
            host.getPropertiesComponent().setInitialProperties(hostProperties());
            host.addRoutes(new TaskRoutes()); // the one line
            host.start();
            assertThat(host.getEndpoints()).extracting(e -> e.getEndpointUri())
                    .contains("direct://task.get", "direct://task.list", "direct://task.create", "direct://task.update",
                            "direct://task.delete", "direct://task.comment", "direct://task.checklist.delete");
            assertCommentWorksAndFailsTyped(host);
            assertThat(host.getRoutes()).noneMatch(r -> r.getEndpoint().getEndpointUri().startsWith("kafka:"));
        }
    }

    @Test
    void camelMainHostGetsTheDirectEndpoints() throws Exception {
        Main main = new Main();
        // the host has its own configuration (here: override properties), not the bundle's application.properties
        main.setDefaultPropertyPlaceholderLocation("false");
        main.configure().addRoutesBuilder(new TaskRoutes()); // the one line
        hostProperties().forEach((k, v) -> main.addOverrideProperty((String) k, (String) v));
        main.start();
        try {
            assertCommentWorksAndFailsTyped(main.getCamelContext());
            assertThat(main.getCamelContext().getRoutes()).noneMatch(r -> r.getEndpoint().getEndpointUri().startsWith("kafka:"));
        } finally {
            main.stop();
        }
    }

    @Test
    void camelMainHostCanNameTheBundleInConfigurationOnly() throws Exception {
        Main main = new Main();
        main.setDefaultPropertyPlaceholderLocation("false");
        main.addOverrideProperty("camel.main.routes-builder-classes", "io.taskroutes.TaskRoutes"); // the one line
        hostProperties().forEach((k, v) -> main.addOverrideProperty((String) k, (String) v));
        main.start();
        try {
            assertCommentWorksAndFailsTyped(main.getCamelContext());
        } finally {
            main.stop();
        }
    }

    private static void assertCommentWorksAndFailsTyped(CamelContext host) {
        var template = host.createProducerTemplate();
        JsonNode ok = Direct.call(template, "task.comment",
                "{\"provider\":\"pyrus\",\"id\":\"emb-1\",\"taskId\":11613,\"text\":\"from the host\"}");
        assertThat(ok.get("status").asText()).isEqualTo("ok");
        assertThat(ok.get("commandId").asText()).isEqualTo("emb-1");

        TaskException unsupported = Direct.failure(template, "task.comment",
                "{\"provider\":\"pixflow\",\"taskId\":\"gsvyz98boa\",\"text\":\"x\"}");
        assertThat(unsupported.reason()).isEqualTo(ErrorReason.UNSUPPORTED);
        assertThat(unsupported.provider()).isEqualTo("pixflow");

        TaskException invalid = Direct.failure(template, "task.comment", "{\"provider\":\"pyrus\"}");
        assertThat(invalid.reason()).isEqualTo(ErrorReason.INVALID);
    }
}
