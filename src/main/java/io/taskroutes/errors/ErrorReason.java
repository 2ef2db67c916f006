package io.taskroutes.errors;

/** The error reasons of contract §5; only {@link #UNAVAILABLE} is worth retrying. */
public enum ErrorReason {
    INVALID("invalid"),
    UNSUPPORTED("unsupported"),
    REJECTED("rejected"),
    UNAUTHORIZED("unauthorized"),
    UNAVAILABLE("unavailable"),
    /** Kafka only, by policy: a redelivered command that may have taken effect, which the provider cannot confirm. */
    IN_DOUBT("in-doubt");

    private final String wireName;

    ErrorReason(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** Classification of an HTTP status that is not a success (contract §5). */
    public static ErrorReason forHttpStatus(int status) {
        if (status == 401 || status == 403) {
            return UNAUTHORIZED;
        }
        if (status == 408 || status == 429 || status >= 500) {
            return UNAVAILABLE;
        }
        return REJECTED;
    }

    @Override
    public String toString() {
        return wireName;
    }
}
