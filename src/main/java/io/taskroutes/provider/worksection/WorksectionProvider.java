package io.taskroutes.provider.worksection;

import java.time.ZoneId;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import io.taskroutes.command.Operation;
import io.taskroutes.provider.ProviderAdapter;
import io.taskroutes.provider.ProviderAuth;
import io.taskroutes.provider.ProviderConfig;
import io.taskroutes.provider.ProviderContext;
import io.taskroutes.provider.TaskProvider;

/**
 * Worksection: every call is one {@code action} with query parameters, signed with an md5 hash (admin API) or
 * sent with an OAuth Bearer token. task.delete is listed so that it is refused with Worksection's own reason
 * (the API has no deletion) instead of the generic one.
 */
public final class WorksectionProvider implements TaskProvider {

    public static final String ID = "worksection";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Set<Operation> operations() {
        return EnumSet.of(Operation.GET, Operation.LIST, Operation.CREATE, Operation.UPDATE, Operation.DELETE,
                Operation.COMMENT);
    }

    @Override
    public List<String> missingSettings(ProviderConfig config) {
        List<String> missing = config.missing("base-url");
        if (config.get("api-key").isEmpty() && config.get("token").isEmpty()) {
            missing.add(config.key("api-key") + " or " + config.key("token"));
        }
        return missing;
    }

    /** An OAuth token, when configured, wins over the admin API key. */
    @Override
    public ProviderAdapter create(ProviderContext context) {
        ProviderConfig config = context.config();
        ProviderAuth auth = config.get("token")
                .<ProviderAuth>map(WorksectionOAuth::new)
                .orElseGet(() -> new WorksectionHashAuth(config.get("api-key").orElseThrow()));
        return new WorksectionAdapter(config.baseUrl().orElseThrow(), auth, ZoneId.of(config.get("timezone").orElse("UTC")));
    }

    @Override
    public java.util.Optional<io.taskroutes.events.ChangeSource> changes(ProviderConfig config) {
        return java.util.Optional.of(new WorksectionChanges(config));
    }
}
