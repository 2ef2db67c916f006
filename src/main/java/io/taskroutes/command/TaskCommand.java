package io.taskroutes.command;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A validated canonical command (contract §3). Person values ({@code assignee}, {@code participants}) and
 * form {@code fields} stay JSON: providers pass them through in their own shapes.
 */
public record TaskCommand(
        String id,
        Operation operation,
        String provider,
        String taskId,
        String title,
        String text,
        String formattedText,
        String action,
        ObjectNode assignee,
        List<ObjectNode> participants,
        String dueDate,
        String parentTaskId,
        JsonNode formId,
        ArrayNode fields,
        String project,
        String status,
        Boolean force,
        ObjectNode filter,
        Integer page,
        Integer perPage,
        String sort,
        List<String> include,
        boolean allPages,
        String entityType,
        String entityId,
        Boolean notifyParticipants,
        Boolean notifyAuthor,
        ObjectNode nativeFields) {

    /** {@code native} as an object, never null, so mappers can merge it unconditionally. */
    public ObjectNode nativeOrEmpty() {
        return nativeFields == null ? Json.object() : nativeFields;
    }
}
