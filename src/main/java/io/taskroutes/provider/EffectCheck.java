package io.taskroutes.provider;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Predicate;

import io.taskroutes.command.TaskCommand;
import io.taskroutes.command.TaskResult;
import io.taskroutes.errors.TaskException;

/**
 * How a provider tells whether a command already took effect, so that a command in doubt (redelivered after a
 * crash with its intent recorded) is reconciled instead of repeated blindly (contract §7). Pure, like a mapper:
 * the provider-call route sends the lookup and hands the answers back.
 */
public interface EffectCheck {

    /** Provider clocks may run a little behind ours: an effect this much before the intent still counts. */
    Duration CLOCK_SKEW = Duration.ofSeconds(5);

    /** A request that shows the earlier effect, sent before the command (or after {@link #tookEffect}); empty if none. */
    default Optional<HttpRequestSpec> lookup(TaskCommand command) {
        return Optional.empty();
    }

    /**
     * The lookup's answer: the command's result if its effect is there, else empty and the command is sent.
     * {@code since} is when the command's intent was recorded, or null when the lookup follows {@link #tookEffect}.
     */
    default Optional<TaskResult> found(TaskCommand command, HttpResponseView answer, Instant since) {
        return Optional.empty();
    }

    /** Whether the command's own failure shows that an earlier attempt took effect (an in-doubt delete answered "not found"). */
    default boolean tookEffect(TaskCommand command, TaskException failure, boolean inDoubt) {
        return false;
    }

    /** A delete in doubt that the provider answers "not there" ({@code gone}) was done by the earlier attempt. */
    static EffectCheck deleteGone(Predicate<TaskException> gone) {
        return new EffectCheck() {
            @Override
            public boolean tookEffect(TaskCommand command, TaskException failure, boolean inDoubt) {
                return inDoubt && gone.test(failure);
            }
        };
    }

    /**
     * A comment the provider holds is the in-doubt command's own: the same text, posted since the intent (less
     * {@link #CLOCK_SKEW} and the provider's time {@code resolution}). Who posted it is the caller's to compare,
     * where the provider says and the bundle knows its own account.
     */
    static boolean sameComment(TaskCommand command, String text, Instant createdAt, Instant since, Duration resolution) {
        String wanted = command.text() != null ? command.text() : command.formattedText();
        return wanted != null && wanted.equals(text) && createdAt != null
                && (since == null || !createdAt.isBefore(since.minus(CLOCK_SKEW).minus(resolution)));
    }
}
