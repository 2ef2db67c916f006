package io.taskroutes.kafka;

/**
 * The command-state store could not be read or written (brokers unreachable, topic not creatable). Not a
 * failure of the command: the error policy lets it through, the record stays unfinished and its lane runs it
 * again, instead of dead-lettering a command that may have taken effect.
 */
public final class StateUnavailableException extends RuntimeException {

    public StateUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
