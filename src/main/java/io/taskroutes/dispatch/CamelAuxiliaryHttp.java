package io.taskroutes.dispatch;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;

import io.taskroutes.errors.ErrorReason;
import io.taskroutes.errors.TaskException;
import io.taskroutes.provider.HttpRequestSpec;
import io.taskroutes.provider.HttpResponseView;
import io.taskroutes.provider.ProviderContext;

/** Calls outside the command flow (a token exchange) through the same camel-http route as provider calls. */
public final class CamelAuxiliaryHttp implements ProviderContext.AuxiliaryHttp {

    private final CamelContext context;
    private volatile ProducerTemplate template;

    public CamelAuxiliaryHttp(CamelContext context) {
        this.context = context;
    }

    @Override
    public HttpResponseView send(String baseUrl, HttpRequestSpec request) {
        Exchange result = template().send("direct:provider-http", e -> HttpMessages.write(e.getMessage(), baseUrl, request));
        if (result.getException() != null) {
            Exception cause = result.getException();
            throw new TaskException(ErrorReason.UNAVAILABLE, "call to " + baseUrl + " failed: "
                    + cause.getClass().getSimpleName() + ": " + cause.getMessage(), cause);
        }
        HttpResponseView response = HttpMessages.read(result.getMessage());
        result.getMessage().removeHeaders("*");
        return response;
    }

    private ProducerTemplate template() {
        if (template == null) {
            synchronized (this) {
                if (template == null) {
                    template = context.createProducerTemplate();
                }
            }
        }
        return template;
    }
}
