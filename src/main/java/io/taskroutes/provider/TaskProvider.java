package io.taskroutes.provider;

import java.util.List;
import java.util.Set;

import io.taskroutes.command.Operation;

/**
 * A provider package's entry point, found through {@link java.util.ServiceLoader}: adding a provider means
 * one package with an implementation of this and one line in {@code META-INF/services}.
 */
public interface TaskProvider {

    /** The provider id used in commands, e.g. {@code pyrus}; also the configuration prefix {@code tasks.<id>.}. */
    String id();

    Set<Operation> operations();

    /** The keys a user still has to set before commands can reach this provider; empty when configured. */
    List<String> missingSettings(ProviderConfig config);

    ProviderAdapter create(ProviderContext context);

    /** How this provider's changes become task events (contract §9); empty when it has no way to tell. */
    default java.util.Optional<io.taskroutes.events.ChangeSource> changes(ProviderConfig config) {
        return java.util.Optional.empty();
    }
}
