package io.taskroutes.provider.worksection;

import java.time.ZoneId;
import java.util.Optional;

import io.taskroutes.command.TaskCommand;
import io.taskroutes.command.TaskResult;
import io.taskroutes.provider.EffectCheck;
import io.taskroutes.provider.HttpRequestSpec;
import io.taskroutes.provider.HttpResponseView;
import io.taskroutes.provider.ProviderAdapter;
import io.taskroutes.provider.ProviderAuth;

/** {@code zone}: the account's time zone, in which Worksection gives its local times. */
record WorksectionAdapter(String baseUrl, ProviderAuth auth, ZoneId zone) implements ProviderAdapter {

    @Override
    public HttpRequestSpec request(TaskCommand command) {
        return WorksectionMapper.request(command);
    }

    @Override
    public TaskResult response(TaskCommand command, HttpResponseView response) {
        return WorksectionResponses.toResult(command, response, baseUrl);
    }

    @Override
    public Optional<EffectCheck> effectCheck(TaskCommand command) {
        return WorksectionEffects.of(command, zone);
    }
}
