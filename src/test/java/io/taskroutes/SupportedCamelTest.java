package io.taskroutes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Properties;

import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

/** A host on a Camel version outside the tested range stops when the bundle is added, naming the range. */
class SupportedCamelTest {

    @Test
    void theTestedRangeIsFourSeventeenToFourTwentyTwo() {
        assertThat(SupportedCamel.isSupported("4.17.0")).isTrue();
        assertThat(SupportedCamel.isSupported("4.18.0")).isTrue();
        assertThat(SupportedCamel.isSupported("4.22.3")).isTrue();
        assertThat(SupportedCamel.isSupported("4.20.0-SNAPSHOT")).isTrue();
        assertThat(SupportedCamel.isSupported("4.16.0")).isFalse();
        assertThat(SupportedCamel.isSupported("4.23.0")).isFalse();
        assertThat(SupportedCamel.isSupported("3.22.0")).isFalse();
        assertThat(SupportedCamel.isSupported("5.0.0")).isFalse();
        assertThat(SupportedCamel.isSupported(null)).isFalse();
    }

    @Test
    void aHostOnAnOlderCamelFailsAtOnceNamingTheRange() throws Exception {
        try (CamelContext host = contextReporting("4.14.0")) {
            assertThatThrownBy(() -> host.addRoutes(new TaskRoutes()))
                    .hasMessageContaining("task-routes supports Apache Camel 4.17.x to 4.22.x")
                    .hasMessageContaining("runs Camel 4.14.0");
            assertThat(host.getRoutes()).isEmpty();
        }
    }

    @Test
    void aBuildThatMixesCamelVersionsFailsAtOnceNamingTheBom() throws Exception {
        // this build's camel-kafka, camel-http, ... jars say 4.18.0; a core reporting 4.17.0 is a mixed build
        assertThat(SupportedCamel.moduleVersion("org.apache.camel.component.kafka.KafkaComponent")).isEqualTo("4.18.0");
        try (CamelContext host = contextReporting("4.17.0")) {
            assertThatThrownBy(() -> host.addRoutes(new TaskRoutes()))
                    .hasMessageContaining("at the application's Camel version 4.17.0")
                    .hasMessageContaining("KafkaComponent 4.18.0")
                    .hasMessageContaining("import org.apache.camel:camel-bom 4.17.0");
        }
    }

    @Test
    void theCheckCanBeSwitchedOffByTheHost() throws Exception {
        try (CamelContext host = contextReporting("4.23.0")) {
            Properties props = new Properties();
            props.put("tasks.camel-version-check", "false");
            host.getPropertiesComponent().setInitialProperties(props);
            host.addRoutes(new TaskRoutes());
            host.start();
            assertThat(host.getRoute("task-dispatch")).isNotNull();
        }
    }

    private static CamelContext contextReporting(String version) {
        return new DefaultCamelContext() {
            @Override
            public String getVersion() {
                return version;
            }
        };
    }
}
