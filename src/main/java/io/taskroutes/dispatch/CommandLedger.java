package io.taskroutes.dispatch;

import java.util.EnumSet;
import java.util.Set;

import org.apache.camel.Exchange;

import io.taskroutes.TaskConstants;
import io.taskroutes.command.Json;
import io.taskroutes.command.Operation;
import io.taskroutes.command.TaskCommand;
import io.taskroutes.command.TaskResult;
import io.taskroutes.errors.ErrorReason;
import io.taskroutes.errors.TaskException;
import io.taskroutes.kafka.CommandStates;
import io.taskroutes.kafka.CommandStates.Begun;
import io.taskroutes.kafka.CommandStates.Prior;
import io.taskroutes.kafka.KafkaOrigin;
import io.taskroutes.kafka.KafkaOutbound;

/**
 * Intent before effect for the Kafka commands that change data (contract §7): the dispatch route asks it to
 * {@link #begin} before the provider call and to record the command {@link #done} after it; the dead-letter route
 * records a failure. A command that took effect before is answered as a duplicate; one in doubt is checked with its
 * provider where the provider can tell ({@code ProviderCall} runs the check), repeated where repeating is harmless,
 * and otherwise repeated or dead-lettered as {@code in-doubt}, as {@code tasks.in-doubt} (or
 * {@code tasks.<provider>.in-doubt}) says. direct: callers are not tracked: a caller that repeats a call knows it does.
 */
public final class CommandLedger {

    /** Operations whose effect must not happen twice; reads are simply repeated. */
    private static final Set<Operation> MUTATING = EnumSet.of(Operation.CREATE, Operation.UPDATE, Operation.DELETE,
            Operation.COMMENT, Operation.CHECKLIST_DELETE);
    /** Setting the same fields again, deleting an already deleted checklist: the same end state, so repeated. */
    private static final Set<Operation> IDEMPOTENT = EnumSet.of(Operation.UPDATE, Operation.CHECKLIST_DELETE);

    private final CommandStates states;
    private final ProviderRegistry registry;

    /** {@code states} null: the Kafka consumers are off, nothing is tracked. */
    public CommandLedger(CommandStates states, ProviderRegistry registry) {
        this.states = states;
        this.registry = registry;
    }

    public void begin(Exchange exchange) {
        TaskCommand command = command(exchange);
        KafkaOrigin origin = exchange.getProperty(TaskConstants.KAFKA_ORIGIN, KafkaOrigin.class);
        if (states == null || origin == null || !MUTATING.contains(command.operation())) {
            return;
        }
        Begun begun = states.begin(origin, command.id());
        exchange.setProperty(TaskConstants.BEGUN, begun);
        if (begun.prior() != Prior.IN_DOUBT) {
            return;
        }
        exchange.setProperty(TaskConstants.IN_DOUBT_SINCE, begun.since());
        if (registry.adapterFor(command).effectCheck(command).isPresent()) {
            return; // the provider-call route looks for the earlier effect and sets the resolution
        }
        if (IDEMPOTENT.contains(command.operation()) || !"dead-letter".equals(policy(command))) {
            exchange.setProperty(TaskConstants.RESOLUTION, "repeated");
            return;
        }
        exchange.setProperty(TaskConstants.RESOLUTION, "dead-lettered");
        throw new TaskException(ErrorReason.IN_DOUBT, command.operation().wireName() + " " + command.id()
                + " began at " + begun.since() + " and may have taken effect before this instance stopped; " + command.provider()
                + " gives no way to check, so it is not repeated (tasks.in-doubt=dead-letter)")
                .withProvider(command.provider()).withOperation(command.operation().wireName()).withCommandId(command.id());
    }

    /** A command whose id took effect before: no provider call. */
    public boolean isDuplicate(Exchange exchange) {
        Begun begun = exchange.getProperty(TaskConstants.BEGUN, Begun.class);
        return begun != null && begun.prior() == Prior.DONE;
    }

    /** The answer to a command id that already took effect: no provider call, a result marked duplicate. */
    public void duplicate(Exchange exchange) {
        TaskResult result = TaskResult.of(command(exchange));
        result.duplicate = true;
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setBody(Json.write(result));
    }

    /** Records {@code done} without waiting: the result is written once it is acknowledged ({@link KafkaOutbound}). */
    public void done(Exchange exchange) {
        if (exchange.getProperty(TaskConstants.BEGUN) != null) {
            exchange.setProperty(KafkaOutbound.PENDING,
                    states.done(exchange.getProperty(TaskConstants.KAFKA_ORIGIN, KafkaOrigin.class), command(exchange).id()));
        }
    }

    /**
     * Before a failed command is dead-lettered: one that began as new failed without taking effect, so its intent
     * is withdrawn and a redelivery runs it as new. One in doubt keeps its intent: its effect is still unknown.
     */
    public void failed(Exchange exchange) {
        Begun begun = exchange.getProperty(TaskConstants.BEGUN, Begun.class);
        if (begun != null && begun.prior() == Prior.NEW) {
            exchange.setProperty(KafkaOutbound.PENDING,
                    states.failed(exchange.getProperty(TaskConstants.KAFKA_ORIGIN, KafkaOrigin.class), command(exchange).id()));
        }
    }

    private String policy(TaskCommand command) {
        return registry.config(command.provider()).get("in-doubt")
                .or(() -> registry.config(command.provider()).global("in-doubt"))
                .orElse("repeat");
    }

    private static TaskCommand command(Exchange exchange) {
        return exchange.getProperty(TaskConstants.COMMAND, TaskCommand.class);
    }
}
