package io.taskroutes.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;

import org.apache.camel.Exchange;
import org.apache.kafka.clients.producer.ProducerRecord;

import io.taskroutes.TaskConstants;
import io.taskroutes.command.Json;
import io.taskroutes.command.TaskCommand;
import io.taskroutes.command.TaskResult;
import io.taskroutes.errors.ErrorReason;
import io.taskroutes.errors.Failures;
import io.taskroutes.errors.TaskException;

/**
 * Writes the result and dead-letter records of a Kafka command through {@link KafkaWrites}, after the command's
 * state write ({@link #PENDING}) and without waiting: the exchange leaves with the future of all its writes in
 * {@link #PENDING}, and the record counts as finished when that completes.
 */
public final class KafkaOutbound {

    /** Exchange property: a {@code CompletableFuture<Void>} of the writes of this record not yet acknowledged. */
    public static final String PENDING = "taskPendingWrites";
    /** Exchange property: the reason of the dead letter written, for the dead-letter meter. */
    public static final String DEAD_LETTER_REASON = "taskDeadLetterReason";

    /** Exchange property: the writes the dead letter and the error result both come after (the withdrawn intent). */
    private static final String BEFORE_FAILURE = "taskWritesBeforeFailure";

    private final KafkaWrites writes;
    private final String resultTopic;
    private final String dlqTopic;

    public KafkaOutbound(KafkaWrites writes, String resultTopic, String dlqTopic) {
        this.writes = writes;
        this.resultTopic = resultTopic;
        this.dlqTopic = dlqTopic;
    }

    /** The reply body becomes the result record (same key as the command, the three contract headers), after done. */
    public void result(Exchange exchange) {
        String body = exchange.getMessage().getBody(String.class);
        TaskCommand command = exchange.getProperty(TaskConstants.COMMAND, TaskCommand.class);
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(resultTopic, null, origin(exchange).key(),
                body.getBytes(StandardCharsets.UTF_8));
        resultHeaders(record, command.id(), command.operation().wireName(), command.provider());
        exchange.setProperty(PENDING, writes.after(pending(exchange), () -> writes.send(record)));
    }

    /** The original record, untouched, plus the contract's error headers (§6), once the intent is withdrawn. */
    public void deadLetter(Exchange exchange) {
        KafkaOrigin origin = origin(exchange);
        TaskException failure = failure(exchange);
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(dlqTopic, null, origin.key(), origin.value());
        origin.headers().forEach((name, value) -> {
            if (HeaderHygiene.mayRepublish(name)) {
                record.headers().add(name, value);
            }
        });
        header(record, TaskConstants.H_ERROR_REASON, failure.reason().wireName());
        header(record, TaskConstants.H_ERROR_MESSAGE, failure.getMessage());
        header(record, TaskConstants.H_ERROR_CLASS, errorClass(exchange));
        if (failure.httpStatus() != null) {
            header(record, TaskConstants.H_ERROR_HTTP_STATUS, String.valueOf(failure.httpStatus()));
        }
        header(record, TaskConstants.H_ERROR_ATTEMPTS, String.valueOf(exchange.getProperty(TaskConstants.CALLS, 0, Integer.class)));
        header(record, TaskConstants.H_ORIGIN_TOPIC, origin.topic());
        header(record, TaskConstants.H_ORIGIN_PARTITION, String.valueOf(origin.partition()));
        header(record, TaskConstants.H_ORIGIN_OFFSET, String.valueOf(origin.offset()));
        header(record, TaskConstants.H_COMMAND_ID, commandId(exchange));
        header(record, TaskConstants.H_FAILED_AT, Instant.now().toString());
        CompletableFuture<Void> before = pending(exchange);
        exchange.setProperty(BEFORE_FAILURE, before);
        exchange.setProperty(DEAD_LETTER_REASON, failure.reason().wireName());
        exchange.setProperty(PENDING, writes.after(before, () -> writes.send(record)));
    }

    /**
     * Alongside the dead letter, a result record with {@code "status":"error"} so result readers see every command;
     * written with it (both after the withdrawn intent), the record finished when both are acknowledged.
     */
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
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(resultTopic, null, origin(exchange).key(), Json.writeBytes(result));
        resultHeaders(record, result.commandId, operation, provider);
        @SuppressWarnings("unchecked")
        CompletableFuture<Void> before = exchange.getProperty(BEFORE_FAILURE, CompletableFuture.class);
        CompletableFuture<Void> written = writes.after(before, () -> writes.send(record));
        CompletableFuture<Void> deadLetter = pending(exchange);
        exchange.setProperty(PENDING, deadLetter == null ? written : CompletableFuture.allOf(deadLetter, written));
    }

    /** The writes of this record not yet acknowledged (null: none), for the lanes to wait on. */
    @SuppressWarnings("unchecked")
    public static CompletableFuture<Void> pending(Exchange exchange) {
        return exchange.getProperty(PENDING, CompletableFuture.class);
    }

    private static void resultHeaders(ProducerRecord<byte[], byte[]> record, String commandId, String operation, String provider) {
        header(record, TaskConstants.H_COMMAND_ID, commandId);
        header(record, TaskConstants.H_OPERATION, operation);
        if (provider != null) {
            header(record, TaskConstants.H_PROVIDER, provider);
        }
    }

    private static void header(ProducerRecord<byte[], byte[]> record, String name, String value) {
        if (value != null) {
            record.headers().add(name, value.getBytes(StandardCharsets.UTF_8));
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
