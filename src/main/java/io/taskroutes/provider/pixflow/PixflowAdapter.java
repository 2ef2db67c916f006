package io.taskroutes.provider.pixflow;

import io.taskroutes.command.TaskCommand;
import io.taskroutes.command.TaskResult;
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

    @Override
    public ProviderAuth auth() {
        return auth;
    }

    @Override
    public String baseUrl() {
        return baseUrl;
    }
}
