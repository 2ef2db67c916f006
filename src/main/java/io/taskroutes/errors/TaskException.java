package io.taskroutes.errors;

import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The one failure type callers see: what went wrong ({@link #reason()}), where (provider, operation) and the
 * provider's HTTP status when there was one. Messages are built from provider answers and command fields,
 * never from credentials.
 */
public class TaskException extends RuntimeException {

    private final ErrorReason reason;
    private String commandId;
    private String provider;
    private String operation;
    private Integer httpStatus;
    private Duration retryAfter;
    private JsonNode details;
    private boolean credentialsRefreshed;

    public TaskException(ErrorReason reason, String message) {
        this(reason, message, null);
    }

    public TaskException(ErrorReason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    /** A 401 after which fresh credentials were obtained: worth exactly one immediate retry. */
    public static TaskException credentialsRefreshed(String provider, int httpStatus, String message) {
        TaskException e = new TaskException(ErrorReason.UNAUTHORIZED, message).withProvider(provider).withHttpStatus(httpStatus);
        e.credentialsRefreshed = true;
        return e;
    }

    /** The id of the command that failed, when it could be read (a command rejected as invalid may still have one). */
    public TaskException withCommandId(String commandId) {
        this.commandId = commandId;
        return this;
    }

    public TaskException withProvider(String provider) {
        this.provider = provider;
        return this;
    }

    public TaskException withOperation(String operation) {
        this.operation = operation;
        return this;
    }

    public TaskException withHttpStatus(Integer httpStatus) {
        this.httpStatus = httpStatus;
        return this;
    }

    public TaskException withRetryAfter(Duration retryAfter) {
        this.retryAfter = retryAfter;
        return this;
    }

    /** Provider data that explains the failure (e.g. validation errors), reported in the error result. */
    public TaskException withDetails(JsonNode details) {
        this.details = details;
        return this;
    }

    public ErrorReason reason() {
        return reason;
    }

    public String commandId() {
        return commandId;
    }

    public String provider() {
        return provider;
    }

    public String operation() {
        return operation;
    }

    public Integer httpStatus() {
        return httpStatus;
    }

    /** The provider's own hint for when to try again (Retry-After, rate-limit reset), if it gave one. */
    public Duration retryAfter() {
        return retryAfter;
    }

    public JsonNode details() {
        return details;
    }

    public boolean isCredentialsRefreshed() {
        return credentialsRefreshed;
    }

    @Override
    public String toString() {
        return "TaskException[" + reason + ", provider=" + provider + ", operation=" + operation
                + (httpStatus != null ? ", httpStatus=" + httpStatus : "") + "]: " + getMessage();
    }
}
