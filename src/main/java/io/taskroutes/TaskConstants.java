package io.taskroutes;

/** Exchange property and record header names, in one place. */
public final class TaskConstants {

    // exchange properties (never headers: headers are wiped before every provider call)
    public static final String OPERATION = "task.operation";
    public static final String COMMAND = "task.command";
    public static final String COMMAND_ID = "task.command-id";
    /** Attempts at the current request (the retry budget); reset when a page of a list succeeds. */
    public static final String ATTEMPTS = "task.attempts";
    /** Provider calls made for the command in all (reported as task.error.attempts). */
    public static final String CALLS = "task.calls";
    public static final String NEXT_PAGE = "task.next-page";
    /** A read of the provider for task events: a GET of this path (below the base URL) instead of the command's request. */
    public static final String READ = "task.events.read";
    public static final String CALL_DONE = "task.call-done";
    public static final String PAGES = "task.pages";
    public static final String AUTH_REFRESHED = "task.auth-refreshed";
    public static final String KAFKA_ORIGIN = "task.kafka-origin";
    /** What the command-state store knew when a data-changing Kafka command began ({@code CommandStates.Begun}). */
    public static final String BEGUN = "task.begun";
    /** When an in-doubt command first began (its intent), for the provider's effect check; absent otherwise. */
    public static final String IN_DOUBT_SINCE = "task.in-doubt-since";
    /** How an in-doubt command was resolved: reconciled, sent, repeated, dead-lettered. */
    public static final String RESOLUTION = "task.resolution";
    /** The provider-call round is the effect check's lookup, not the command. */
    public static final String LOOKUP = "task.lookup";
    /** The effect check's lookup has run for this command. */
    public static final String LOOKED_UP = "task.looked-up";

    // result and dead-letter record headers (contract §4, §6)
    public static final String H_COMMAND_ID = "task.command-id";
    public static final String H_OPERATION = "task.operation";
    public static final String H_PROVIDER = "task.provider";
    public static final String H_ERROR_REASON = "task.error.reason";
    public static final String H_ERROR_MESSAGE = "task.error.message";
    public static final String H_ERROR_CLASS = "task.error.class";
    public static final String H_ERROR_HTTP_STATUS = "task.error.http-status";
    public static final String H_ERROR_ATTEMPTS = "task.error.attempts";
    public static final String H_ORIGIN_TOPIC = "task.origin.topic";
    public static final String H_ORIGIN_PARTITION = "task.origin.partition";
    public static final String H_ORIGIN_OFFSET = "task.origin.offset";
    public static final String H_FAILED_AT = "task.failed-at";

    private TaskConstants() {
    }
}
