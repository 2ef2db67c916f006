package io.taskroutes.provider;

import io.taskroutes.command.TaskCommand;
import io.taskroutes.command.TaskResult;

/** A configured provider: its mapper, response handler and auth strategy, ready for calls. */
public interface ProviderAdapter {

    /** Canonical command to request description; pure, no I/O. May throw an {@code invalid} TaskException. */
    HttpRequestSpec request(TaskCommand command);

    /** Provider answer to result, or a classified TaskException (HTTP-200 error bodies included). */
    TaskResult response(TaskCommand command, HttpResponseView response);

    ProviderAuth auth();

    /** Where requests go; only ever from configuration. */
    String baseUrl();
}
