package io.taskroutes.provider.tracker;

import java.util.Optional;

import io.taskroutes.command.TaskCommand;
import io.taskroutes.command.TaskResult;
import io.taskroutes.provider.EffectCheck;
import io.taskroutes.provider.HttpRequestSpec;
import io.taskroutes.provider.HttpResponseView;
import io.taskroutes.provider.ProviderAdapter;
import io.taskroutes.provider.ProviderAuth;

record TrackerAdapter(String baseUrl, ProviderAuth auth) implements ProviderAdapter {

    @Override
    public HttpRequestSpec request(TaskCommand command) {
        return TrackerMapper.request(command);
    }

    @Override
    public TaskResult response(TaskCommand command, HttpResponseView response) {
        return TrackerResponses.toResult(command, response);
    }

    @Override
    public Optional<EffectCheck> effectCheck(TaskCommand command) {
        return TrackerEffects.of(command);
    }

    @Override
    public Optional<HttpRequestSpec> nextPage(TaskCommand command, HttpResponseView response, int pagesFetched) {
        return TrackerResponses.hasNextPage(command, response, pagesFetched)
                ? Optional.of(TrackerMapper.listPage(command, TrackerMapper.firstPage(command) + pagesFetched))
                : Optional.empty();
    }
}
