package host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.camel.CamelExecutionException;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import io.taskroutes.errors.ErrorReason;
import io.taskroutes.errors.TaskException;
import io.taskroutes.sandbox.ProviderSandbox;

/**
 * The bundle in a Camel Main 4.22 application with log4j2 and without Micrometer: configured from the host's
 * application.properties, commands run against the sandbox, failures are TaskExceptions.
 */
class CamelMainHostTest {

    static ProviderSandbox sandbox;
    static Main main;
    static ProducerTemplate template;

    @BeforeAll
    static void start() {
        sandbox = ProviderSandbox.start();
        main = new Main();
        // the sandbox's URLs and credentials, as a deployment would pass them (environment, -D, overrides)
        sandbox.clientProperties().forEach(main::addOverrideProperty);
        main.start();
        template = main.getCamelContext().createProducerTemplate();
    }

    @AfterAll
    static void stop() {
        main.stop();
        sandbox.close();
    }

    @Test
    void theCamelIsTheHostsAndNotTheBundlesBuild() {
        assertTrue(main.getCamelContext().getVersion().startsWith("4.22."), main.getCamelContext().getVersion());
        assertEquals("camel-main-host", main.getCamelContext().getName());
        assertNotNull(main.getCamelContext().getRoute("task-dispatch"));
    }

    @Test
    void commandsRunAgainstTheSandbox() {
        String comment = template.requestBody("direct:task.comment",
                "{\"provider\":\"pyrus\",\"id\":\"m-1\",\"taskId\":11613,\"text\":\"from Camel Main 4.22\"}", String.class);
        assertTrue(comment.contains("\"status\":\"ok\"") && comment.contains("\"commandId\":\"m-1\""), comment);
        String issue = template.requestBody("direct:task.get", "{\"provider\":\"yandex-tracker\",\"taskId\":\"TEST-1\"}", String.class);
        assertTrue(issue.contains("\"status\":\"ok\"") && issue.contains("\"id\":\"TEST-1\""), issue);
        String deleted = template.requestBody("direct:task.delete", "{\"provider\":\"pixflow\",\"taskId\":\"gsvyz98boa\"}", String.class);
        assertTrue(deleted.contains("\"status\":\"ok\""), deleted);
    }

    @Test
    void failuresAreTaskExceptionsAndRetriesFollowTheHostsSettings() {
        CamelExecutionException unsupported = assertThrows(CamelExecutionException.class, () -> template.requestBody(
                "direct:task.delete", "{\"provider\":\"worksection\",\"taskId\":\"1001\"}", String.class));
        TaskException e = assertInstanceOf(TaskException.class, unsupported.getCause());
        assertEquals(ErrorReason.UNSUPPORTED, e.reason());
        assertEquals("worksection", e.provider());

        sandbox.faults("pixflow").failAlways(502);
        int before = sandbox.requests("pixflow").size();
        CamelExecutionException unavailable = assertThrows(CamelExecutionException.class, () -> template.requestBody(
                "direct:task.get", "{\"provider\":\"pixflow\",\"taskId\":\"gsvyz98boa\"}", String.class));
        TaskException down = assertInstanceOf(TaskException.class, unavailable.getCause());
        assertEquals(ErrorReason.UNAVAILABLE, down.reason());
        assertEquals(502, down.httpStatus());
        // tasks.retry.max-attempts=3 in the host's application.properties (the bundle's default is 5)
        assertEquals(3, sandbox.requests("pixflow").size() - before);
        sandbox.faults("pixflow").clear();
    }

    @Test
    void logging_isTheHostsLog4j2AndMicrometerIsNotNeeded() {
        assertEquals("org.apache.logging.slf4j.Log4jLoggerFactory", LoggerFactory.getILoggerFactory().getClass().getName());
        assertThrows(ClassNotFoundException.class, () -> Class.forName("ch.qos.logback.classic.Logger"));
        assertThrows(ClassNotFoundException.class, () -> Class.forName("io.micrometer.core.instrument.MeterRegistry"));
        ClassLoader loader = getClass().getClassLoader();
        assertNull(loader.getResource("logback.xml"));
        // the only application.properties is the host's
        assertTrue(loader.getResource("application.properties").getPath().contains("/target/classes/"));
    }
}
