package io.taskroutes.provider.tracker;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import io.taskroutes.command.NormalizedTask;
import io.taskroutes.command.TaskCommand;
import io.taskroutes.command.TaskResult;
import io.taskroutes.errors.TaskException;
import io.taskroutes.provider.EffectCheck;
import io.taskroutes.provider.HttpRequestSpec;
import io.taskroutes.provider.HttpResponseView;

/**
 * How Yandex Tracker shows that a command took effect: an issue created with the command id as its
 * {@code unique} (a repeat is answered 409, crash or no crash: Tracker creates are exactly once), and a comment
 * with the same text posted since the intent.
 */
final class TrackerEffects {

    /** Tracker's timestamps: {@code 2026-12-01T10:15:30.000+0000}. */
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ");

    private TrackerEffects() {
    }

    static Optional<EffectCheck> of(TaskCommand command) {
        return switch (command.operation()) {
            case CREATE -> Optional.of(UNIQUE);
            case COMMENT -> command.text() != null || command.formattedText() != null ? Optional.of(COMMENT) : Optional.empty();
            default -> Optional.empty();
        };
    }

    private static final EffectCheck UNIQUE = new EffectCheck() {
        @Override
        public Optional<HttpRequestSpec> lookup(TaskCommand command) {
            return Optional.of(TrackerMapper.searchUnique(command));
        }

        @Override
        public Optional<TaskResult> found(TaskCommand command, HttpResponseView answer, Instant since) {
            JsonNode issues = TrackerResponses.body(answer);
            if (!issues.isArray() || issues.isEmpty()) {
                return Optional.empty();
            }
            JsonNode issue = issues.get(0);
            return Optional.of(TaskResult.of(command).raw(issue).task(TrackerResponses.normalize(issue)));
        }

        /** 409 to a create: an issue with this unique exists already (the lookup then finds it). */
        @Override
        public boolean tookEffect(TaskCommand command, TaskException failure, boolean inDoubt) {
            return Integer.valueOf(409).equals(failure.httpStatus());
        }
    };

    private static final EffectCheck COMMENT = new EffectCheck() {
        @Override
        public Optional<HttpRequestSpec> lookup(TaskCommand command) {
            return Optional.of(TrackerMapper.comments(command));
        }

        @Override
        public Optional<TaskResult> found(TaskCommand command, HttpResponseView answer, Instant since) {
            for (JsonNode comment : TrackerResponses.body(answer)) {
                if (EffectCheck.sameComment(command, NormalizedTask.text(comment, "text"),
                        instant(NormalizedTask.text(comment, "createdAt")), since, Duration.ZERO)) {
                    // what posting it answers: the comment
                    return Optional.of(TaskResult.of(command).raw(comment));
                }
            }
            return Optional.empty();
        }
    };

    private static Instant instant(String time) {
        try {
            return time == null ? null : OffsetDateTime.parse(time, TIME).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
