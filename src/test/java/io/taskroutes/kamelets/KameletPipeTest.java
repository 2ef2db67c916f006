package io.taskroutes.kamelets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.Properties;

import org.apache.camel.CamelContext;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import io.taskroutes.TaskRoutes;
import io.taskroutes.command.Json;
import io.taskroutes.errors.ErrorReason;
import io.taskroutes.errors.TaskException;
import io.taskroutes.sandbox.ProviderSandbox;
import io.taskroutes.sandbox.RecordedRequest;

/** A Pipe-style route into the shipped task-delete-sink Kamelet (loaded from the classpath), against the sandbox. */
class KameletPipeTest {

    @Test
    void pipeIntoTaskDeleteSinkDeletesTheTask() throws Exception {
        try (ProviderSandbox sandbox = ProviderSandbox.start(); CamelContext host = new DefaultCamelContext()) {
            Properties props = new Properties();
            props.put("tasks.kafka.enabled", "false");
            props.putAll(sandbox.clientProperties());
            host.getPropertiesComponent().setInitialProperties(props);
            host.addRoutes(new TaskRoutes());
            host.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:pipe").to("kamelet:task-delete-sink?provider=pixflow");
                }
            });
            host.start();

            String reply = host.createProducerTemplate().requestBody("direct:pipe", "{\"id\":\"k-1\",\"taskId\":\"gsvyz98boa\"}", String.class);
            JsonNode result = Json.MAPPER.readTree(reply);
            assertThat(result.get("status").asText()).isEqualTo("ok");
            assertThat(result.get("provider").asText()).isEqualTo("pixflow");
            assertThat(result.get("operation").asText()).isEqualTo("task.delete");
            assertThat(sandbox.requests("pixflow")).hasSize(1);
            RecordedRequest call = sandbox.requests("pixflow").get(0);
            assertThat(call.path()).isEqualTo("/pixflow/api/v1/task/delete");

            Throwable thrown = catchThrowable(() -> host.createProducerTemplate()
                    .requestBody("direct:pipe", "{\"taskId\":\"nosuchtask\"}", String.class));
            assertThat(thrown).isInstanceOf(CamelExecutionException.class);
            assertThat(thrown.getCause()).isInstanceOf(TaskException.class);
            assertThat(((TaskException) thrown.getCause()).reason()).isEqualTo(ErrorReason.REJECTED);
        }
    }
}
