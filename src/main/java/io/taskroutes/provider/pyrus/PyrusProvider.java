package io.taskroutes.provider.pyrus;

import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import io.taskroutes.command.Operation;
import io.taskroutes.provider.ProviderAdapter;
import io.taskroutes.provider.ProviderAuth;
import io.taskroutes.provider.ProviderConfig;
import io.taskroutes.provider.ProviderContext;
import io.taskroutes.provider.TaskProvider;

/** Pyrus: plain and form tasks; every change to a task is a comment, so there is no task.update. */
public final class PyrusProvider implements TaskProvider {

    public static final String ID = "pyrus";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Set<Operation> operations() {
        return EnumSet.of(Operation.GET, Operation.LIST, Operation.CREATE, Operation.DELETE, Operation.COMMENT);
    }

    @Override
    public List<String> missingSettings(ProviderConfig config) {
        List<String> missing = config.missing("base-url");
        boolean login = config.get("login").isPresent() && config.get("security-key").isPresent();
        if (config.get("token").isEmpty() && !login) {
            missing.add(config.key("token") + " or " + config.key("login") + " + " + config.key("security-key"));
        } else if (config.get("token").isEmpty() && config.get("auth-url").isEmpty()) {
            missing.add(config.key("auth-url"));
        }
        return missing;
    }

    @Override
    public ProviderAdapter create(ProviderContext context) {
        ProviderConfig config = context.config();
        ProviderAuth auth = config.get("token")
                .map(token -> ProviderAuth.bearer("Bearer", token))
                .orElseGet(() -> new PyrusLoginAuth(config.get("auth-url").orElseThrow(), config.get("login").orElseThrow(),
                        config.get("security-key").orElseThrow(), context.http()));
        // with a static token the bundle does not know whose account it is
        return new PyrusAdapter(config.baseUrl().orElseThrow(), auth, config.get("token").isPresent() ? Optional.empty() : config.get("login"));
    }

    @Override
    public java.util.Optional<io.taskroutes.events.ChangeSource> changes(ProviderConfig config) {
        return java.util.Optional.of(new PyrusChanges(config));
    }
}
