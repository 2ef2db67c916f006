package io.taskroutes.dispatch;

import java.nio.charset.StandardCharsets;

import org.apache.camel.Exchange;

import io.taskroutes.TaskConstants;
import io.taskroutes.command.CommandParser;
import io.taskroutes.command.Json;
import io.taskroutes.command.Operation;
import io.taskroutes.command.TaskCommand;
import io.taskroutes.errors.ErrorReason;
import io.taskroutes.errors.TaskException;
import io.taskroutes.kafka.KafkaOrigin;

/** First step of every command: parse and validate the body, check the provider, keep the command on the exchange. */
public final class CommandIntake {

    private final CommandParser parser;
    private final ProviderRegistry registry;
    private final long maxCommandBytes;

    public CommandIntake(CommandParser parser, ProviderRegistry registry, long maxCommandBytes) {
        this.parser = parser;
        this.registry = registry;
        this.maxCommandBytes = maxCommandBytes;
    }

    public void accept(Exchange exchange) {
        String opName = exchange.getProperty(TaskConstants.OPERATION, String.class);
        Operation operation = Operation.fromWireName(opName)
                .orElseThrow(() -> new TaskException(ErrorReason.INVALID, "unknown operation '" + opName + "'"));
        KafkaOrigin origin = exchange.getProperty(TaskConstants.KAFKA_ORIGIN, KafkaOrigin.class);
        String fallbackId = origin != null ? origin.commandIdFallback() : exchange.getExchangeId();
        byte[] body = bodyBytes(exchange);
        if (body != null && body.length > maxCommandBytes) {
            throw invalid(operation, fallbackId, "body is " + body.length + " bytes, more than the " + maxCommandBytes
                    + " allowed (tasks.max-command-bytes)");
        }
        TaskCommand command = parser.parse(body, operation, fallbackId);
        exchange.setProperty(TaskConstants.COMMAND, command);
        exchange.setProperty(TaskConstants.COMMAND_ID, command.id());
        if (origin != null && origin.key() == null) {
            throw invalid(operation, command.id(), "the record has no key: the key must be the task id, "
                    + "commands with the same key are applied in order").withProvider(command.provider());
        }
        registry.adapterFor(command);
    }

    private static TaskException invalid(Operation operation, String commandId, String message) {
        return new TaskException(ErrorReason.INVALID, message).withOperation(operation.wireName()).withCommandId(commandId);
    }

    /** direct callers may send a String, bytes, a stream or a Map; all become the JSON bytes we parse. */
    private static byte[] bodyBytes(Exchange exchange) {
        Object body = exchange.getMessage().getBody();
        if (body == null || body instanceof byte[] || body instanceof String) {
            return body == null ? null : body instanceof String s ? s.getBytes(StandardCharsets.UTF_8) : (byte[]) body;
        }
        if (body instanceof java.util.Map<?, ?> map) {
            return Json.writeBytes(map);
        }
        return exchange.getMessage().getBody(byte[].class);
    }
}
