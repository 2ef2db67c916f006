package io.taskroutes.provider.worksection;

import io.taskroutes.command.TaskCommand;
import io.taskroutes.command.TaskResult;
import io.taskroutes.provider.HttpRequestSpec;
import io.taskroutes.provider.HttpResponseView;
import io.taskroutes.provider.ProviderAdapter;
import io.taskroutes.provider.ProviderAuth;

record WorksectionAdapter(String baseUrl, ProviderAuth auth) implements ProviderAdapter {

    @Override
    public HttpRequestSpec request(TaskCommand command) {
        return WorksectionMapper.request(command);
    }

    @Override
    public TaskResult response(TaskCommand command, HttpResponseView response) {
        return WorksectionResponses.toResult(command, response, baseUrl);
    }
}
