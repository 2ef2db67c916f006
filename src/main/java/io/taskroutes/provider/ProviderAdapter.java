package io.taskroutes.provider;

import io.taskroutes.command.TaskCommand;
import io.taskroutes.command.TaskResult;

/** A configured provider: its mapper, response handler and auth strategy, ready for calls. */
public interface ProviderAdapter {

    /** Canonical command to request description; pure, no I/O. May throw an {@code invalid} TaskException. */
    HttpRequestSpec request(TaskCommand command);

    /** Provider answer to result, or a classified TaskException (HTTP-200 error bodies included). */
    TaskResult response(TaskCommand command, HttpResponseView response);

    /**
     * For a list with {@code allPages}: the request for the page after {@code response}, or empty when that was
     * the last page. Providers that paginate override this; results of all pages are merged by the caller.
     */
    default java.util.Optional<HttpRequestSpec> nextPage(TaskCommand command, HttpResponseView response, int pagesFetched) {
        return java.util.Optional.empty();
    }

    /**
     * How this provider shows whether {@code command} already took effect; empty where it gives no way to tell
     * (an in-doubt command is then repeated or dead-lettered, by policy).
     */
    default java.util.Optional<EffectCheck> effectCheck(TaskCommand command) {
        return java.util.Optional.empty();
    }

    ProviderAuth auth();

    /** Where requests go; only ever from configuration. */
    String baseUrl();
}
