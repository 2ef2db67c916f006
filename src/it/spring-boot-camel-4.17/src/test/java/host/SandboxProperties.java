package host;

import org.springframework.test.context.DynamicPropertyRegistry;

import io.taskroutes.sandbox.ProviderSandbox;

/** One provider sandbox for the test JVM; its URLs and credentials are the host's tasks.* properties. */
final class SandboxProperties {

    static final ProviderSandbox SANDBOX = ProviderSandbox.start();

    private SandboxProperties() {
    }

    static void register(DynamicPropertyRegistry registry) {
        SANDBOX.clientProperties().forEach((key, value) -> registry.add(key, () -> value));
    }
}
