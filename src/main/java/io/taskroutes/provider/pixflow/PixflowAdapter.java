package io.taskroutes.provider.pixflow;

import java.util.Optional;

import io.taskroutes.command.Operation;
import io.taskroutes.command.TaskCommand;
import io.taskroutes.command.TaskResult;
import io.taskroutes.provider.EffectCheck;
import io.taskroutes.provider.HttpRequestSpec;
import io.taskroutes.provider.HttpResponseView;
import io.taskroutes.provider.ProviderAdapter;
import io.taskroutes.provider.ProviderAuth;
import io.taskroutes.provider.ProviderConfig;

final class PixflowAdapter implements ProviderAdapter {

    private final String baseUrl;
    private final ProviderAuth auth;

    PixflowAdapter(ProviderConfig config) {
        this.baseUrl = config.baseUrl().orElseThrow();
        this.auth = ProviderAuth.bearer("Bearer", config.get("token").orElseThrow());
    }

    @Override
    public HttpRequestSpec request(TaskCommand command) {
        return PixflowMapper.request(command);
    }

    @Override
    public TaskResult response(TaskCommand command, HttpResponseView response) {
        return PixflowResponses.toResult(command, response);
    }

    /** An in-doubt delete answered "Задача не найдена" (task not found) was done by the earlier attempt. */
    @Override
    public Optional<EffectCheck> effectCheck(TaskCommand command) {
        return command.operation() == Operation.DELETE
                ? Optional.of(EffectCheck.deleteGone(PixflowResponses::isTaskNotFound)) : Optional.empty();
    }

    @Override
    public ProviderAuth auth() {
        return auth;
    }

    @Override
    public String baseUrl() {
        return baseUrl;
    }
}
