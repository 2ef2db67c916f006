package io.taskroutes.dispatch;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import io.taskroutes.command.TaskCommand;
import io.taskroutes.errors.ErrorReason;
import io.taskroutes.errors.TaskException;
import io.taskroutes.provider.ProviderAdapter;
import io.taskroutes.provider.ProviderConfig;
import io.taskroutes.provider.ProviderContext;
import io.taskroutes.provider.TaskProvider;

/** Knows the providers (found through ServiceLoader) and turns a command's provider id into a ready adapter. */
public final class ProviderRegistry {

    private final Map<String, TaskProvider> providers = new TreeMap<>();
    private final Map<String, ProviderAdapter> adapters = new ConcurrentHashMap<>();
    /** Configuration is fixed once Camel has started, so each provider's check is made once, not per call. */
    private final Map<String, List<String>> missingSettings = new ConcurrentHashMap<>();
    private final Function<String, Optional<String>> properties;
    private final ProviderContext.AuxiliaryHttp http;

    public ProviderRegistry(Function<String, Optional<String>> properties, ProviderContext.AuxiliaryHttp http) {
        this.properties = properties;
        this.http = http;
        ServiceLoader.load(TaskProvider.class, TaskProvider.class.getClassLoader())
                .forEach(p -> providers.put(p.id(), p));
    }

    public ProviderConfig config(String providerId) {
        return new ProviderConfig(providerId, properties);
    }

    /** The adapter for the command's provider, or an {@code invalid}/{@code unsupported} failure naming why. */
    public ProviderAdapter adapterFor(TaskCommand command) {
        TaskProvider provider = providers.get(command.provider());
        if (provider == null) {
            throw fail(command, ErrorReason.INVALID, "unknown provider '" + command.provider() + "' (known: "
                    + String.join(", ", providers.keySet()) + ")");
        }
        if (!provider.operations().contains(command.operation())) {
            throw fail(command, ErrorReason.UNSUPPORTED, "provider " + provider.id() + " does not support "
                    + command.operation().wireName());
        }
        ProviderConfig config = config(provider.id());
        List<String> missing = missingSettings.computeIfAbsent(provider.id(), id -> List.copyOf(provider.missingSettings(config)));
        if (!missing.isEmpty()) {
            throw fail(command, ErrorReason.INVALID, "provider " + provider.id() + " is not configured: set "
                    + String.join(" and ", missing));
        }
        return adapters.computeIfAbsent(provider.id(), id -> provider.create(new ProviderContext(config, http)));
    }

    public Map<String, TaskProvider> providers() {
        return providers;
    }

    private static TaskException fail(TaskCommand command, ErrorReason reason, String message) {
        return new TaskException(reason, message).withProvider(command.provider()).withOperation(command.operation().wireName());
    }
}
