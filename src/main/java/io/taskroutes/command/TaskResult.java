package io.taskroutes.command;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import io.taskroutes.errors.TaskException;

/** The result of one command (contract §4), for direct replies and result records alike. */
@JsonPropertyOrder({"commandId", "operation", "provider", "taskId", "status", "duplicate", "inDoubt", "resolution", "task", "tasks",
    "page", "raw", "error"})
public final class TaskResult {
    @JsonProperty public String commandId;
    @JsonProperty public String operation;
    @JsonProperty public String provider;
    @JsonProperty public String taskId;
    @JsonProperty public String status = "ok";
    /** Set on a repeated command id whose effect already happened: no provider call was made. */
    @JsonProperty public Boolean duplicate;
    /**
     * Set on a command that may have taken effect before (redelivered after a crash with its intent recorded),
     * with how that was resolved: {@code reconciled} (the provider showed the effect; not repeated), {@code sent}
     * (it showed none; sent once), {@code repeated} (no way to check; repeated by policy) or {@code dead-lettered}.
     */
    @JsonProperty public Boolean inDoubt;
    @JsonProperty public String resolution;
    @JsonProperty public NormalizedTask task;
    @JsonProperty public List<NormalizedTask> tasks;
    /** Pagination facts for lists (totals, current page, has more) when the provider gives them. */
    @JsonProperty public JsonNode page;
    @JsonProperty public JsonNode raw;
    @JsonProperty public Error error;

    public static TaskResult of(TaskCommand command) {
        TaskResult r = new TaskResult();
        r.commandId = command.id();
        r.operation = command.operation().wireName();
        r.provider = command.provider();
        r.taskId = command.taskId();
        return r;
    }

    public TaskResult task(NormalizedTask task) {
        this.task = task;
        if (taskId == null && task != null) {
            taskId = task.id;
        }
        return this;
    }

    public TaskResult tasks(List<NormalizedTask> tasks) {
        this.tasks = tasks;
        return this;
    }

    public TaskResult raw(JsonNode raw) {
        this.raw = raw;
        return this;
    }

    public static TaskResult failed(String commandId, String operation, String provider, String taskId, TaskException e) {
        TaskResult r = new TaskResult();
        r.commandId = commandId;
        r.operation = operation;
        r.provider = provider;
        r.taskId = taskId;
        r.status = "error";
        r.error = new Error(e.reason().wireName(), e.getMessage(), e.httpStatus(), e.details());
        return r;
    }

    @JsonPropertyOrder({"reason", "message", "httpStatus", "details"})
    public record Error(String reason, String message, Integer httpStatus, JsonNode details) {
    }
}
