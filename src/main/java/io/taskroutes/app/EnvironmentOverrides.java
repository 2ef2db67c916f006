package io.taskroutes.app;

import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Properties;

/**
 * Contract §8: every key of application.properties can be set by an environment variable (upper case, '.' and
 * '-' become '_'), and the environment wins. Camel resolves {@code tasks.*} placeholders that way by itself,
 * but Camel Main 4.18 does not apply such variables to the {@code camel.*} keys it configures components from
 * (measured: CAMEL_COMPONENT_KAFKA_POLL_TIMEOUT_MS was ignored). It does honour JVM system properties for
 * them, so the entry point turns each matching variable into one.
 */
public final class EnvironmentOverrides {

    private EnvironmentOverrides() {
    }

    /** The variable that sets {@code key}: upper case, '.' and '-' written as '_' (tasks.pyrus.base-url: TASKS_PYRUS_BASE_URL). */
    public static String variableOf(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    static void apply() {
        Properties keys = new Properties();
        try (InputStream in = EnvironmentOverrides.class.getResourceAsStream("/application.properties")) {
            if (in != null) {
                keys.load(in);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read application.properties", e);
        }
        for (String key : keys.stringPropertyNames()) {
            String value = System.getenv(variableOf(key));
            if (key.startsWith("camel.") && value != null && System.getProperty(key) == null) {
                System.setProperty(key, value);
            }
        }
    }
}
