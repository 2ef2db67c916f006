package io.taskroutes;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

import org.apache.camel.CamelContext;
import org.apache.camel.spi.PropertiesComponent;

/**
 * The library's defaults for its own {@code tasks.*} keys ({@code io/taskroutes/defaults.properties}). The
 * library ships no application.properties: whatever the host's configuration does not resolve is added as an
 * initial property, the lowest-priority source of Camel's properties component, so the host wins on every key
 * (on Spring Boot the check goes through the Spring Environment first).
 */
final class TaskDefaults {

    static final String RESOURCE = "/io/taskroutes/defaults.properties";

    private TaskDefaults() {
    }

    static Properties load() {
        Properties defaults = new Properties();
        try (InputStream in = TaskDefaults.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the task-routes jar");
            }
            defaults.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
        return defaults;
    }

    static void applyTo(CamelContext context) {
        PropertiesComponent properties = context.getPropertiesComponent();
        Properties defaults = load();
        for (String key : defaults.stringPropertyNames()) {
            if (properties.resolveProperty(key).isEmpty()) {
                properties.addInitialProperty(key, defaults.getProperty(key));
            }
        }
    }
}
