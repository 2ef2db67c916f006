package io.taskroutes.kafka;

import java.time.Instant;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;

import io.taskroutes.TaskConstants;
import io.taskroutes.command.Json;
import io.taskroutes.command.TaskCommand;
import io.taskroutes.command.TaskResult;
import io.taskroutes.errors.ErrorReason;
import io.taskroutes.errors.Failures;
import io.taskroutes.errors.TaskException;

/** Shapes the result and dead-letter records. */
public final class KafkaOutbound {

    /** The reply body becomes the result record: same key as the command, the three contract headers. */
    public void result(Exchange exchange) {
        Message message = exchange.getMessage();
        String body = message.getBody(String.class);
        TaskCommand command = exchange.getProperty(TaskConstants.COMMAND, TaskCommand.class);
        message.removeHeaders("*");
        resultHeaders(message, origin(exchange), command.id(), command.operation().wireName(), command.provider());
        message.setBody(body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** The original record, untouched, plus the contract's error headers (§6). */
    public void deadLetter(Exchange exchange) {
        KafkaOrigin origin = origin(exchange);
        TaskException failure = failure(exchange);
        Message message = exchange.getMessage();
        message.removeHeaders("*");
        origin.headers().forEach((name, value) -> {
            if (HeaderHygiene.mayRepublish(name)) {
                message.setHeader(name, value);
            }
        });
        message.setHeader(TaskConstants.H_ERROR_REASON, failure.reason().wireName());
        message.setHeader(TaskConstants.H_ERROR_MESSAGE, failure.getMessage());
        message.setHeader(TaskConstants.H_ERROR_CLASS, errorClass(exchange));
        if (failure.httpStatus() != null) {
            message.setHeader(TaskConstants.H_ERROR_HTTP_STATUS, String.valueOf(failure.httpStatus()));
        }
        message.setHeader(TaskConstants.H_ERROR_ATTEMPTS, String.valueOf(exchange.getProperty(TaskConstants.CALLS, 0, Integer.class)));
        message.setHeader(TaskConstants.H_ORIGIN_TOPIC, origin.topic());
        message.setHeader(TaskConstants.H_ORIGIN_PARTITION, String.valueOf(origin.partition()));
        message.setHeader(TaskConstants.H_ORIGIN_OFFSET, String.valueOf(origin.offset()));
        message.setHeader(TaskConstants.H_COMMAND_ID, commandId(exchange));
        message.setHeader(TaskConstants.H_FAILED_AT, Instant.now().toString());
        if (origin.key() != null) {
            message.setHeader(KafkaConstants.KEY, origin.key());
        }
        message.setBody(origin.value());
    }

    /** Alongside the dead letter, a result record with {@code "status":"error"} so result readers see every command. */
    public void errorResult(Exchange exchange) {
        TaskException failure = failure(exchange);
        TaskCommand command = exchange.getProperty(TaskConstants.COMMAND, TaskCommand.class);
        String operation = command != null ? command.operation().wireName() : exchange.getProperty(TaskConstants.OPERATION, String.class);
        String provider = command != null ? command.provider() : failure.provider();
        TaskResult result = TaskResult.failed(commandId(exchange), operation, provider,
                command != null ? command.taskId() : null, failure);
        String resolution = exchange.getProperty(TaskConstants.RESOLUTION, String.class);
        if (resolution != null) {
            result.inDoubt = true;
            result.resolution = resolution;
        }
        Message message = exchange.getMessage();
        message.removeHeaders("*");
        resultHeaders(message, origin(exchange), result.commandId, operation, provider);
        message.setBody(Json.writeBytes(result));
    }

    private static void resultHeaders(Message message, KafkaOrigin origin, String commandId, String operation, String provider) {
        if (origin.key() != null) {
            message.setHeader(KafkaConstants.KEY, origin.key());
        }
        message.setHeader(TaskConstants.H_COMMAND_ID, commandId);
        message.setHeader(TaskConstants.H_OPERATION, operation);
        if (provider != null) {
            message.setHeader(TaskConstants.H_PROVIDER, provider);
        }
    }

    private static String commandId(Exchange exchange) {
        TaskCommand command = exchange.getProperty(TaskConstants.COMMAND, TaskCommand.class);
        if (command != null) {
            return command.id();
        }
        TaskException failure = Failures.find(exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class));
        return failure != null && failure.commandId() != null ? failure.commandId() : origin(exchange).commandIdFallback();
    }

    private static TaskException failure(Exchange exchange) {
        Throwable caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        TaskCommand command = exchange.getProperty(TaskConstants.COMMAND, TaskCommand.class);
        TaskException failure = Failures.classify(caught, command != null ? command.provider() : null,
                exchange.getProperty(TaskConstants.OPERATION, String.class));
        if ("repeated".equals(exchange.getProperty(TaskConstants.RESOLUTION)) && failure.reason() != ErrorReason.IN_DOUBT) {
            // the repeat failed, but the first attempt may have taken effect: no other reason would be true (contract §7)
            return new TaskException(ErrorReason.IN_DOUBT, failure.getMessage() + " (repeated because it was in doubt: an earlier"
                    + " attempt may have taken effect)", failure).withProvider(failure.provider()).withOperation(failure.operation())
                    .withCommandId(failure.commandId()).withHttpStatus(failure.httpStatus());
        }
        return failure;
    }

    private static String errorClass(Exchange exchange) {
        Throwable caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        Throwable root = caught;
        TaskException te = Failures.find(caught);
        if (te != null && te.getCause() != null) {
            root = te.getCause();
        } else if (te != null) {
            root = te;
        }
        return root == null ? TaskException.class.getName() : root.getClass().getName();
    }

    private static KafkaOrigin origin(Exchange exchange) {
        return exchange.getProperty(TaskConstants.KAFKA_ORIGIN, KafkaOrigin.class);
    }
}
