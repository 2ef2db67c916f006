package io.taskroutes.provider.pyrus;

import java.time.Duration;
import java.time.Instant;
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

/** How Pyrus shows that a command in doubt took effect: a deleted task is gone, a posted comment is on its task. */
final class PyrusEffects {

    private PyrusEffects() {
    }

    /** {@code account}: the bot's login, when the bundle signs in with one (a static token does not say whose it is). */
    static Optional<EffectCheck> of(TaskCommand command, Optional<String> account) {
        return switch (command.operation()) {
            case DELETE -> Optional.of(EffectCheck.deleteGone(PyrusEffects::isGone));
            // a comment without text (only an action, a reassignment) cannot be told apart from another one
            case COMMENT -> command.text() != null || command.formattedText() != null
                    ? Optional.of(new CommentCheck(account)) : Optional.empty();
            default -> Optional.empty();
        };
    }

    /** Pyrus answers a task that is not there (any more) 403 access_denied_task, or 404. */
    static boolean isGone(TaskException failure) {
        Integer status = failure.httpStatus();
        return status != null && (status == 404
                || status == 403 && failure.getMessage() != null && failure.getMessage().contains("access_denied_task"));
    }

    /** GET /tasks/{id} holds the task's comments: ours has the same text, our author, a date since the intent. */
    private record CommentCheck(Optional<String> account) implements EffectCheck {

        @Override
        public Optional<HttpRequestSpec> lookup(TaskCommand command) {
            return Optional.of(HttpRequestSpec.of("GET").path("/tasks").segment(command.taskId()).build());
        }

        @Override
        public Optional<TaskResult> found(TaskCommand command, HttpResponseView answer, Instant since) {
            // the same answer as a comment's: the whole task with its comments (errors classified the same way)
            TaskResult result = PyrusResponses.toResult(command, answer);
            for (JsonNode comment : answer.json().path("task").path("comments")) {
                String text = command.text() != null ? NormalizedTask.text(comment, "text") : NormalizedTask.text(comment, "formatted_text");
                String author = comment.path("author").path("email").asText(null);
                if (EffectCheck.sameComment(command, text, instant(NormalizedTask.text(comment, "create_date")), since, Duration.ZERO)
                        && account.map(a -> a.equalsIgnoreCase(author)).orElse(true)) {
                    return Optional.of(result);
                }
            }
            return Optional.empty();
        }

        private static Instant instant(String iso) {
            try {
                return iso == null ? null : Instant.parse(iso);
            } catch (DateTimeParseException e) {
                return null;
            }
        }
    }
}
