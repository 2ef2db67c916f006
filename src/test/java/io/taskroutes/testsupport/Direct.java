package io.taskroutes.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import org.apache.camel.CamelExecutionException;
import org.apache.camel.ProducerTemplate;

import com.fasterxml.jackson.databind.JsonNode;
import io.taskroutes.command.Json;
import io.taskroutes.errors.TaskException;

/** Calls a direct:task.* endpoint the way an embedding application would. */
public final class Direct {

    private Direct() {
    }

    public static JsonNode call(ProducerTemplate template, String operation, String command) {
        String reply = template.requestBody("direct:" + operation, command, String.class);
        try {
            return Json.MAPPER.readTree(reply);
        } catch (Exception e) {
            throw new AssertionError("reply is not JSON: " + reply, e);
        }
    }

    public static TaskException failure(ProducerTemplate template, String operation, String command) {
        Throwable thrown = catchThrowable(() -> template.requestBody("direct:" + operation, command, String.class));
        assertThat(thrown).as("expected %s to fail", operation).isInstanceOf(CamelExecutionException.class);
        assertThat(thrown.getCause()).isInstanceOf(TaskException.class);
        return (TaskException) thrown.getCause();
    }
}
