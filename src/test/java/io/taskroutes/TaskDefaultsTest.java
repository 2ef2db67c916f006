package io.taskroutes;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

/**
 * The library carries its own defaults (a host has no application.properties of the bundle): they must agree
 * with what the application's application.properties documents, cover every key the routes resolve, and never
 * win over the host's configuration.
 */
class TaskDefaultsTest {

    /** Keys whose application value differs from the library's default on purpose. */
    private static final Set<String> APPLICATION_ONLY = Set.of(
            // the application runs the Kafka consumers; an embedding host gets the direct: endpoints unless it asks
            "tasks.kafka.enabled");

    @Test
    void defaultsAreTheValuesApplicationPropertiesDocuments() throws IOException {
        Properties defaults = TaskDefaults.load();
        Properties application = new Properties();
        try (Reader in = Files.newBufferedReader(Path.of("application.properties"))) {
            application.load(in);
        }
        for (String key : defaults.stringPropertyNames()) {
            assertThat(application.getProperty(key)).as("application.properties documents " + key).isEqualTo(defaults.getProperty(key));
        }
        for (String key : application.stringPropertyNames()) {
            if (key.startsWith("tasks.") && !application.getProperty(key).isBlank() && !APPLICATION_ONLY.contains(key)) {
                assertThat(defaults.getProperty(key)).as("library default of " + key).isEqualTo(application.getProperty(key));
            }
        }
    }

    @Test
    void everyKeyTheRoutesResolveHasADefault() throws IOException {
        Set<String> placeholders = new TreeSet<>();
        Pattern placeholder = Pattern.compile("\\{\\{(tasks\\.[a-z0-9.-]+)}}");
        try (Stream<Path> files = Files.list(Path.of("routes"))) {
            for (Path file : files.toList()) {
                Matcher m = placeholder.matcher(Files.readString(file));
                while (m.find()) {
                    placeholders.add(m.group(1));
                }
            }
        }
        placeholders.remove("tasks.kafka.brokers"); // required when Kafka is on: TaskRoutes names it
        assertThat(placeholders).isNotEmpty();
        assertThat(TaskDefaults.load().stringPropertyNames()).containsAll(placeholders);
    }

    @Test
    void theHostsConfigurationWinsAndDefaultsFillTheRest() throws Exception {
        try (CamelContext host = new DefaultCamelContext()) {
            Properties hostProps = new Properties();
            hostProps.put("tasks.kafka.result-topic", "host.results");
            host.getPropertiesComponent().setInitialProperties(hostProps);
            host.getPropertiesComponent().addOverrideProperty("tasks.retry.max-attempts", "2");

            TaskDefaults.applyTo(host);

            assertThat(host.getPropertiesComponent().resolveProperty("tasks.kafka.result-topic")).contains("host.results");
            assertThat(host.getPropertiesComponent().resolveProperty("tasks.retry.max-attempts")).contains("2");
            assertThat(host.getPropertiesComponent().resolveProperty("tasks.kafka.dlq-topic")).contains("task.dlq");
            assertThat(host.getPropertiesComponent().resolveProperty("tasks.pixflow.base-url")).contains("https://pixflow.ru/api/v1");
            // no credential ever has a default
            assertThat(host.getPropertiesComponent().resolveProperty("tasks.pixflow.token")).isEmpty();
        }
    }
}
