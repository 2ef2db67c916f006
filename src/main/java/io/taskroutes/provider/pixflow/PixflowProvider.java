package io.taskroutes.provider.pixflow;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import io.taskroutes.command.Operation;
import io.taskroutes.provider.ProviderAdapter;
import io.taskroutes.provider.ProviderConfig;
import io.taskroutes.provider.ProviderContext;
import io.taskroutes.provider.TaskProvider;

/** Pixflow: its "tasks" are asynchronous image-processing jobs (unique copies of an image). */
public final class PixflowProvider implements TaskProvider {

    public static final String ID = "pixflow";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Set<Operation> operations() {
        return EnumSet.of(Operation.GET, Operation.LIST, Operation.CREATE, Operation.DELETE);
    }

    @Override
    public List<String> missingSettings(ProviderConfig config) {
        List<String> missing = config.missing("base-url", "token");
        return missing;
    }

    @Override
    public ProviderAdapter create(ProviderContext context) {
        return new PixflowAdapter(context.config());
    }

    @Override
    public java.util.Optional<io.taskroutes.events.ChangeSource> changes(ProviderConfig config) {
        return java.util.Optional.of(new PixflowChanges());
    }
}
