package io.taskroutes.app;

import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.spi.PropertiesComponent;

/**
 * Applies the profile before anything is configured. {@code prod} (the default) needs an external broker;
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
        }
        // prod: the bundle itself refuses to start without tasks.kafka.brokers while the consumers are on
    }
}
