package io.taskroutes.app;

import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.spi.PropertiesComponent;

/**
 * Applies the profile before anything is configured. {@code prod} (the default) insists on an external broker;
 * {@code dev} starts a broker and the provider sandbox in this process and points the bundle at them. Only an
 * explicit {@code dev} does that, so a deployed jar never falls into it by accident.
 */
public final class Profiles extends MainListenerSupport {

    @Override
    public void beforeConfigure(BaseMainSupport main) {
        PropertiesComponent properties = main.getCamelContext().getPropertiesComponent();
        String profile = properties.resolveProperty("camel.main.profile").orElse("prod");
        if (profile.equals("dev")) {
            DevEnvironment dev = DevEnvironment.start(key -> properties.resolveProperty(key));
            // a context service is stopped inside Camel's shutdown hook, after the routes: SIGTERM cleans up too
            try {
                main.getCamelContext().addService(dev, true, true);
            } catch (Exception e) {
                dev.close();
                throw new IllegalStateException("could not register the dev environment", e);
            }
            dev.properties().forEach(properties::addOverrideProperty);
        } else if (properties.resolveProperty("tasks.kafka.enabled").map(Boolean::parseBoolean).orElse(false)
                && properties.resolveProperty("tasks.kafka.brokers").filter(b -> !b.isBlank()).isEmpty()) {
            throw new IllegalStateException("tasks.kafka.brokers (env TASKS_KAFKA_BROKERS) is required in the '"
                    + profile + "' profile (or tasks.kafka.enabled=false for direct: only); use CAMEL_MAIN_PROFILE=dev for the embedded broker and sandbox");
        }
    }
}
