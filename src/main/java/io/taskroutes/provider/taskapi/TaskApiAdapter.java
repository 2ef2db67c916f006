package io.taskroutes.provider.taskapi;

import java.util.Optional;

import io.taskroutes.command.Operation;
import io.taskroutes.command.TaskCommand;
import io.taskroutes.command.TaskResult;
import io.taskroutes.provider.EffectCheck;
import io.taskroutes.provider.HttpRequestSpec;
import io.taskroutes.provider.HttpResponseView;
import io.taskroutes.provider.ProviderAdapter;
import io.taskroutes.provider.ProviderAuth;

record TaskApiAdapter(String baseUrl, ProviderAuth auth) implements ProviderAdapter {

    @Override
    public HttpRequestSpec request(TaskCommand command) {
        return TaskApiMapper.request(command);
    }

    @Override
    public TaskResult response(TaskCommand command, HttpResponseView response) {
        return TaskApiResponses.toResult(command, response);
    }

    /** An in-doubt delete answered 404 was done by the earlier attempt. */
    @Override
    public Optional<EffectCheck> effectCheck(TaskCommand command) {
        return command.operation() == Operation.DELETE
                ? Optional.of(EffectCheck.deleteGone(failure -> Integer.valueOf(404).equals(failure.httpStatus()))) : Optional.empty();
    }

    @Override
    public Optional<HttpRequestSpec> nextPage(TaskCommand command, HttpResponseView response, int pagesFetched) {
        return TaskApiResponses.nextPage(response).map(page -> TaskApiMapper.index(command, page));
    }
}
