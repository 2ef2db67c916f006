package io.taskroutes.provider.taskapi;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import io.taskroutes.command.Operation;
import io.taskroutes.provider.ProviderAdapter;
import io.taskroutes.provider.ProviderAuth;
import io.taskroutes.provider.ProviderConfig;
import io.taskroutes.provider.ProviderContext;
import io.taskroutes.provider.TaskProvider;

/** "Task API v2": a Yii2-style REST service of asynchronous or scheduled operations (seed 003). */
public final class TaskApiProvider implements TaskProvider {

    public static final String ID = "taskapi";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Set<Operation> operations() {
        return EnumSet.of(Operation.GET, Operation.LIST, Operation.CREATE, Operation.UPDATE, Operation.DELETE);
    }

    @Override
    public List<String> missingSettings(ProviderConfig config) {
        List<String> missing = config.missing("base-url", "token");
        return missing;
    }

    @Override
    public ProviderAdapter create(ProviderContext context) {
        ProviderConfig config = context.config();
        return new TaskApiAdapter(config.baseUrl().orElseThrow(), ProviderAuth.bearer("Bearer", config.get("token").orElseThrow()));
    }

    @Override
    public java.util.Optional<io.taskroutes.events.ChangeSource> changes(ProviderConfig config) {
        return java.util.Optional.of(new TaskApiChanges());
    }
}
