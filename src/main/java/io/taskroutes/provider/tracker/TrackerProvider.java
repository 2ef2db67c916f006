package io.taskroutes.provider.tracker;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import io.taskroutes.command.Operation;
import io.taskroutes.provider.ProviderAdapter;
import io.taskroutes.provider.ProviderConfig;
import io.taskroutes.provider.ProviderContext;
import io.taskroutes.provider.TaskProvider;

/**
 * Yandex Tracker API v3: issues, and the checklists of entities (projects, portfolios, goals). The API has no
 * issue deletion, so task.delete is not offered (answered {@code unsupported}).
 */
public final class TrackerProvider implements TaskProvider {

    public static final String ID = "yandex-tracker";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Set<Operation> operations() {
        return EnumSet.of(Operation.GET, Operation.LIST, Operation.CREATE, Operation.UPDATE, Operation.COMMENT,
                Operation.CHECKLIST_DELETE);
    }

    /** A token, and exactly one organization header: {@code org-id} (Yandex 360) or {@code cloud-org-id} (Cloud). */
    @Override
    public List<String> missingSettings(ProviderConfig config) {
        List<String> missing = config.missing("base-url", "token");
        if (TrackerAuth.scheme(config.get("token-type").orElse(null)) == null) {
            missing.add(config.key("token-type") + " as OAuth or Bearer");
        }
        boolean org = config.get("org-id").isPresent();
        boolean cloudOrg = config.get("cloud-org-id").isPresent();
        if (org == cloudOrg) {
            missing.add("exactly one of " + config.key("org-id") + " or " + config.key("cloud-org-id")
                    + (org ? " (both are set)" : ""));
        }
        return missing;
    }

    @Override
    public ProviderAdapter create(ProviderContext context) {
        ProviderConfig config = context.config();
        TrackerAuth auth = config.get("org-id")
                .map(org -> new TrackerAuth(config.get("token-type").orElse(null), config.get("token").orElseThrow(),
                        TrackerAuth.ORG_HEADER, org))
                .orElseGet(() -> new TrackerAuth(config.get("token-type").orElse(null), config.get("token").orElseThrow(),
                        TrackerAuth.CLOUD_ORG_HEADER, config.get("cloud-org-id").orElseThrow()));
        return new TrackerAdapter(config.baseUrl().orElseThrow(), auth);
    }

    @Override
    public java.util.Optional<io.taskroutes.events.ChangeSource> changes(ProviderConfig config) {
        return java.util.Optional.of(new TrackerChanges(config));
    }
}
