package io.taskroutes.dispatch;

import org.apache.camel.component.http.HttpClientConfigurer;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;

/**
 * What the provider endpoint's HttpClient must not do, whatever the (possibly the host's) http component says:
 * repeat a call on its own (its default strategy repeats a 429/503 once, even a POST — the error policy decides
 * every retry), or carry cookies from one command, or provider, to the next.
 */
public final class ProviderHttpClient implements HttpClientConfigurer {

    @Override
    public void configureHttpClient(HttpClientBuilder clientBuilder) {
        clientBuilder.disableAutomaticRetries();
        clientBuilder.disableCookieManagement();
    }
}
