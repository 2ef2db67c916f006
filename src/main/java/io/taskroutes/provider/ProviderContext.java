package io.taskroutes.provider;

/**
 * What an adapter gets to work with: its settings, and a way to make auxiliary HTTP calls (e.g. a token
 * exchange) through the same camel-http client as every provider call.
 */
public record ProviderContext(ProviderConfig config, AuxiliaryHttp http) {

    @FunctionalInterface
    public interface AuxiliaryHttp {
        HttpResponseView send(String baseUrl, HttpRequestSpec request);
    }
}
