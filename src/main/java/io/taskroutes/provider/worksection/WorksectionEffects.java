package io.taskroutes.provider.worksection;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
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
 * How Worksection shows that a comment in doubt was posted: {@code get_comments} lists it with the same text and
 * a {@code date_added} since the intent. Worksection gives local times to the minute without a zone: the account's
 * zone is {@code tasks.worksection.timezone}, and a minute's rounding is allowed for. A status change in doubt
 * answered "already closed" / "already active" was made by the earlier attempt. (The API cannot delete, and tasks
 * it creates carry no key to find them by.)
 */
record WorksectionEffects(ZoneId zone) implements EffectCheck {

    private static final DateTimeFormatter DATE_ADDED = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

    static Optional<EffectCheck> of(TaskCommand command, ZoneId zone) {
        return switch (command.operation()) {
            case COMMENT -> command.text() != null || command.formattedText() != null
                    ? Optional.of(new WorksectionEffects(zone)) : Optional.empty();
            // closing (reopening) in doubt, answered "already closed" ("already active"): the earlier attempt did it
            case UPDATE -> Optional.of(new EffectCheck() {
                @Override
                public boolean tookEffect(TaskCommand c, TaskException failure, boolean inDoubt) {
                    return inDoubt && WorksectionResponses.isError(failure, WorksectionResponses.CODE_ALREADY_IN_STATE);
                }
            });
            default -> Optional.empty();
        };
    }

    @Override
    public Optional<HttpRequestSpec> lookup(TaskCommand command) {
        return Optional.of(WorksectionMapper.comments(command));
    }

    @Override
    public Optional<TaskResult> found(TaskCommand command, HttpResponseView answer, Instant since) {
        JsonNode data = WorksectionResponses.data(answer);
        for (JsonNode comment : data) {
            if (EffectCheck.sameComment(command, NormalizedTask.text(comment, "text"),
                    instant(NormalizedTask.text(comment, "date_added")), since, Duration.ofMinutes(1))) {
                return Optional.of(TaskResult.of(command).raw(comment));
            }
        }
        return Optional.empty();
    }

    private Instant instant(String dateAdded) {
        try {
            return dateAdded == null ? null : LocalDateTime.parse(dateAdded, DATE_ADDED).atZone(zone).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
