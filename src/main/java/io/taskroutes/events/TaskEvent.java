package io.taskroutes.events;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One change of one task, as published (contract §9).
 *
 * @param change what identifies the change within the task, the same however it was seen (a webhook, a poll, a
 *               provider's retry): a comment id, the task's modification time, a status. The CloudEvents id is a
 *               name-based UUID of provider, task and change, so the same change always has the same id.
 * @param data   {@code {provider, taskId, task, comment, changes, raw}}
 */
public record TaskEvent(String provider, String taskId, EventType type, String change, Instant time, ObjectNode data) {

    public String id() {
        return UUID.nameUUIDFromBytes((provider + '\n' + taskId + '\n' + change).getBytes(StandardCharsets.UTF_8)).toString();
    }

    /** The record key: one task's events stay in one partition, in order. */
    public String key() {
        return provider + ":" + taskId;
    }

    public String source() {
        return "/task-routes/" + provider;
    }
}
