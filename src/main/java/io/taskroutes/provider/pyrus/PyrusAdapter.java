package io.taskroutes.provider.pyrus;

import java.util.Optional;

import io.taskroutes.command.TaskCommand;
import io.taskroutes.command.TaskResult;
import io.taskroutes.provider.EffectCheck;
import io.taskroutes.provider.HttpRequestSpec;
import io.taskroutes.provider.HttpResponseView;
import io.taskroutes.provider.ProviderAdapter;
import io.taskroutes.provider.ProviderAuth;

/** {@code account}: the bot's login when the bundle signs in with one, to recognize its own comments. */
record PyrusAdapter(String baseUrl, ProviderAuth auth, Optional<String> account) implements ProviderAdapter {

    @Override
    public HttpRequestSpec request(TaskCommand command) {
        return PyrusMapper.request(command);
    }

    @Override
    public TaskResult response(TaskCommand command, HttpResponseView response) {
        return PyrusResponses.toResult(command, response);
    }

    @Override
    public Optional<EffectCheck> effectCheck(TaskCommand command) {
        return PyrusEffects.of(command, account);
    }
}
