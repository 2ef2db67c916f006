package io.taskroutes.provider;

import java.util.Optional;
import java.util.function.Function;

/**
 * One provider's settings, read from {@code tasks.<provider>.*} (environment variables override, see
 * contract §8). Values are never printed: {@link #toString()} shows the provider id only.
 */
public final class ProviderConfig {

    private final String providerId;
    private final Function<String, Optional<String>> lookup;

    public ProviderConfig(String providerId, Function<String, Optional<String>> lookup) {
        this.providerId = providerId;
        this.lookup = lookup;
    }

    public String providerId() {
        return providerId;
    }

    /** The provider's own key, e.g. {@code get("token")} reads {@code tasks.pyrus.token}; blank counts as unset. */
    public Optional<String> get(String key) {
        return lookup.apply(key(key)).filter(v -> !v.isBlank()).map(String::trim);
    }

    public String key(String key) {
        return "tasks." + providerId + "." + key;
    }

    /** The full names of those {@code keys} that are not set, in order (a list the caller may extend). */
    public java.util.List<String> missing(String... keys) {
        java.util.List<String> missing = new java.util.ArrayList<>();
        for (String key : keys) {
            if (get(key).isEmpty()) {
                missing.add(key(key));
            }
        }
        return missing;
    }

    /** Base URL without a trailing slash; only ever from configuration. */
    public Optional<String> baseUrl() {
        return get("base-url").map(u -> u.endsWith("/") ? u.substring(0, u.length() - 1) : u);
    }

    /** {@code tasks.<provider>.<key>}, else the global {@code tasks.<key>}, else the default (numbers). */
    public long setting(String key, long defaultValue) {
        return get(key)
                .or(() -> lookup.apply("tasks." + key).filter(v -> !v.isBlank()))
                .map(v -> Long.parseLong(v.trim()))
                .orElse(defaultValue);
    }

    /** {@code tasks.<provider>.retry.<key>}, else {@code tasks.retry.<key>}, else the default. */
    public long retrySetting(String key, long defaultValue) {
        return setting("retry." + key, defaultValue);
    }

    /** Any global {@code tasks.*} key (not provider-specific). */
    public Optional<String> global(String key) {
        return lookup.apply("tasks." + key).filter(v -> !v.isBlank()).map(String::trim);
    }

    @Override
    public String toString() {
        return "ProviderConfig[" + providerId + "]";
    }
}
