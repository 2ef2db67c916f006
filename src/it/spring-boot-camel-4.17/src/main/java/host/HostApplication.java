package host;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** The host: nothing of the bundle's is declared here; the dependency alone brings the routes. */
@SpringBootApplication
public class HostApplication {

    public static void main(String[] args) {
        SpringApplication.run(HostApplication.class, args);
    }

    @Bean
    public MeterRegistry meterRegistry() {
        return new SimpleMeterRegistry();
    }

    /** A bean of the host's with a common name: Camel looks up Spring's beans first, the bundle must not use it. */
    @Bean
    public String retryPolicy() {
        return "the host's own retry policy";
    }
}
