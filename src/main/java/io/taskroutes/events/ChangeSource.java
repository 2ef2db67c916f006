package io.taskroutes.events;

import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * How one provider reports its changes: by webhook, by polling, or both. Implemented next to the provider's mapper
 * (it reuses the provider's normalization); it reads the provider only through {@link Calls} — canonical commands
 * through the bundle's own command path, so credentials, rate limits, retries and pagination are the commands'.
 * What it finds goes to {@link Changes}, which compares it with what was seen before and decides what is new.
 */
public interface ChangeSource {

    /** Reads the provider with a canonical command ({@code task.get}, {@code task.list}): the result JSON (§4). */
    @FunctionalInterface
    interface Calls {
        /** @throws io.taskroutes.errors.TaskException when the command fails (after the command path's retries) */
        JsonNode call(String operation, ObjectNode command);

        /**
         * A GET of {@code path} (below the provider's base URL, segments encoded) where no command reads what a source
         * needs (Tracker's comments of an issue): the command path's credentials, rate limit and retries; the answer's
         * JSON. Sources that use it say so.
         */
        default JsonNode read(String provider, String path) {
            throw new UnsupportedOperationException("no provider reads here");
        }
    }

    /** The provider's push side. */
    interface Webhook {

        /** Whether the request is the provider's, checked before the body is parsed; {@code header} is case-insensitive. */
        boolean authentic(byte[] body, Function<String, String> header);

        /** Reports the changes a request carries; a body that cannot be read throws {@link IllegalArgumentException}. */
        void receive(byte[] body, Function<String, String> header, Calls calls, Changes changes);

        /** The body of the 200 answer the provider expects (JSON). */
        String answer();

        /** What reports a request's changes ({@link #receive}). */
        @FunctionalInterface
        interface Receiver {
            void receive(byte[] body, Function<String, String> header, Calls calls, Changes changes);
        }

        static Webhook of(java.util.function.BiPredicate<byte[], Function<String, String>> authentic, Receiver receiver, String answer) {
            return new Webhook() {
                @Override
                public boolean authentic(byte[] body, Function<String, String> header) {
                    return authentic.test(body, header);
                }

                @Override
                public void receive(byte[] body, Function<String, String> header, Calls calls, Changes changes) {
                    receiver.receive(body, header, calls, changes);
                }

                @Override
                public String answer() {
                    return answer;
                }
            };
        }
    }

    /** Empty when the provider does not push (Pixflow, Task API) or its webhook credentials are not configured. */
    default Optional<Webhook> webhook() {
        return Optional.empty();
    }

    /**
     * The first poll, with no stored cursor: the cursor to start from. It publishes nothing; a source that can only
     * compare states (Pixflow) records them here through {@code changes}, which is in baseline mode.
     */
    String baseline(Instant now, Calls calls, Changes changes);

    /** The changes since {@code cursor}, reported to {@code changes}, every page; returns the next cursor. */
    String poll(String cursor, Calls calls, Changes changes);

    /** Whether this source can poll with the given configuration; the reason it cannot otherwise. */
    default Optional<String> cannotPoll() {
        return Optional.empty();
    }
}
