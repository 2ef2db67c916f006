package io.taskroutes.provider;

/** How a provider's credentials get onto a request (header or signature), and how they are renewed. */
public interface ProviderAuth {

    HttpRequestSpec sign(HttpRequestSpec request);

    /**
     * Called after the provider answered 401. Drops cached credentials and says whether fresh ones were
     * obtained, i.e. whether one more attempt is worth making. Static credentials cannot be refreshed.
     */
    default boolean refresh() {
        return false;
    }

    /** {@code Authorization: <scheme> <token>} from a fixed, configured token. */
    static ProviderAuth bearer(String scheme, String token) {
        return request -> request.toBuilder().header("Authorization", scheme + " " + token).build();
    }
}
