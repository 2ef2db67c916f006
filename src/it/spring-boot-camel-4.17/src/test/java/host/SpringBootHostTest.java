package host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.camel.CamelContext;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.micrometer.core.instrument.MeterRegistry;
import io.taskroutes.errors.ErrorReason;
import io.taskroutes.errors.TaskException;

/**
 * The bundle in a Spring Boot 3.5 / Camel 4.17 application that only added the dependency: auto-configured,
 * configured from the host's application.yml, calling the sandbox; failures carry TaskException; the host's
 * logging, configuration and metrics registry stay the host's.
 */
@SpringBootTest
@ExtendWith(OutputCaptureExtension.class)
class SpringBootHostTest {

    @DynamicPropertySource
    static void sandbox(DynamicPropertyRegistry registry) {
        SandboxProperties.register(registry);
    }

    @Autowired
    CamelContext camel;

    @Autowired
    ProducerTemplate template;

    @Autowired
    MeterRegistry meters;

    @BeforeEach
    void resetSandbox() {
        SandboxProperties.SANDBOX.reset();
    }

    @Test
    void theCamelIsTheHostsAndTheBundleIsAutoConfigured() {
        assertThat(camel.getVersion()).startsWith("4.17.");
        assertThat(camel.getName()).isEqualTo("spring-host");
        assertThat(camel.getRoute("task-dispatch")).isNotNull();
        assertThat(camel.getEndpoints()).extracting(e -> e.getEndpointUri())
                .contains("direct://task.get", "direct://task.comment", "direct://task.delete");
        // Kafka consumers only when the host asks for them
        assertThat(camel.getRoutes()).noneMatch(r -> r.getEndpoint().getEndpointUri().startsWith("kafka:"));
    }

    @Test
    void aCommandRunsAgainstTheSandboxWithTheHostsSettings() {
        // no provider in the command: tasks.default-provider from application.yml
        String result = template.requestBody("direct:task.comment", "{\"id\":\"sb-1\",\"taskId\":11613,\"text\":\"from Spring Boot\"}", String.class);
        assertThat(result).contains("\"status\":\"ok\"").contains("\"provider\":\"pyrus\"").contains("\"commandId\":\"sb-1\"");
        assertThat(SandboxProperties.SANDBOX.requests("pyrus")).anyMatch(r -> r.path().endsWith("/tasks/11613/comments"));
    }

    @Test
    void aFailureIsATaskExceptionAndRetriesFollowTheHostsSettings() {
        assertThatThrownBy(() -> template.requestBody("direct:task.comment", "{\"provider\":\"pixflow\",\"taskId\":\"x\",\"text\":\"t\"}", String.class))
                .isInstanceOf(CamelExecutionException.class)
                .cause().isInstanceOfSatisfying(TaskException.class, e -> {
                    assertThat(e.reason()).isEqualTo(ErrorReason.UNSUPPORTED);
                    assertThat(e.provider()).isEqualTo("pixflow");
                });

        SandboxProperties.SANDBOX.faults("pyrus").failAlways(503);
        int before = SandboxProperties.SANDBOX.requests("pyrus").size();
        assertThatThrownBy(() -> template.requestBody("direct:task.get", "{\"taskId\":11613}", String.class))
                .cause().isInstanceOfSatisfying(TaskException.class, e -> {
                    assertThat(e.reason()).isEqualTo(ErrorReason.UNAVAILABLE);
                    assertThat(e.httpStatus()).isEqualTo(503);
                });
        // tasks.retry.max-attempts: 2 in application.yml (the bundle's own default is 5)
        assertThat(SandboxProperties.SANDBOX.requests("pyrus").size() - before).isEqualTo(2);
    }

    @Test
    void theLibrarysKameletResolvesFromTheClasspath() {
        String result = template.requestBody("kamelet:task-delete-sink?provider=pixflow", "{\"taskId\":\"gsvyz98boa\"}", String.class);
        assertThat(result).contains("\"status\":\"ok\"").contains("\"operation\":\"task.delete\"");
        assertThat(SandboxProperties.SANDBOX.requests("pixflow")).hasSize(1);
    }

    @Test
    void theHostKeepsItsLoggingAndConfiguration(CapturedOutput output) {
        template.requestBody("direct:task.comment", "{\"taskId\":11613,\"text\":\"logged\"}", String.class);
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        // the library brings no logging configuration and no application.properties of its own
        assertThat(loader.getResource("logback.xml")).isNull();
        assertThat(loader.getResource("application.properties")).isNull();
        assertThat(loader.getResource("io/taskroutes/defaults.properties")).isNotNull();
        // Spring Boot's logging with the host's pattern, also for Camel's and the bundle's lines
        String log = output.getAll();
        assertThat(log).contains("HOST-LOG INFO");
        assertThat(log.lines().filter(l -> l.contains("Apache Camel") && l.contains("started"))).allMatch(l -> l.startsWith("HOST-LOG "));
    }

    @Test
    void theBundlesMetersJoinTheHostsRegistry() {
        template.requestBody("direct:task.comment", "{\"taskId\":11613,\"text\":\"counted\"}", String.class);
        assertThat(meters.find("tasks.commands").tag("operation", "task.comment").tag("outcome", "ok").counter())
                .isNotNull().satisfies(c -> assertThat(c.count()).isGreaterThanOrEqualTo(1));
        // a handful of histogram buckets, not Micrometer's ~70
        var calls = meters.find("tasks.provider.call").tag("provider", "pyrus").timer();
        assertThat(calls).isNotNull();
        assertThat(calls.takeSnapshot().histogramCounts()).hasSizeBetween(5, 10);
    }
}
