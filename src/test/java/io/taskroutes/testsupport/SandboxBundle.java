package io.taskroutes.testsupport;

import java.util.Map;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import io.taskroutes.sandbox.ProviderSandbox;

/**
 * A test class's world: one sandbox and one bundle against it for the whole class, the sandbox reset before
 * each test. Use as {@code @RegisterExtension static final SandboxBundle env = new SandboxBundle(Map.of(..));}.
 */
public final class SandboxBundle implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback {

    private final Map<String, String> overrides;
    private ProviderSandbox sandbox;
    private BundleUnderTest bundle;

    public SandboxBundle(Map<String, String> overrides) {
        this.overrides = overrides;
    }

    public ProviderSandbox sandbox() {
        return sandbox;
    }

    public BundleUnderTest bundle() {
        return bundle;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        sandbox = ProviderSandbox.start();
        bundle = BundleUnderTest.start(sandbox, overrides);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        try {
            if (bundle != null) {
                bundle.close();
            }
        } finally {
            sandbox.close();
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        sandbox.reset();
    }
}
