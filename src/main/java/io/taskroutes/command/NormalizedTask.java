package io.taskroutes.command;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;

/** A provider task in the contract's normalized shape (§4); {@code raw} keeps the provider's own object. */
@JsonPropertyOrder({"id", "title", "text", "status", "assignee", "author", "createdAt", "updatedAt", "dueDate", "url", "parentId", "raw"})
public final class NormalizedTask {
    @JsonProperty public String id;
    @JsonProperty public String title;
    @JsonProperty public String text;
    @JsonProperty public String status;
    @JsonProperty public JsonNode assignee;
    @JsonProperty public JsonNode author;
    @JsonProperty public String createdAt;
    @JsonProperty public String updatedAt;
    @JsonProperty public String dueDate;
    @JsonProperty public String url;
    @JsonProperty public String parentId;
    @JsonProperty public JsonNode raw;

    /** Text of a node, or null when absent/null, so absent provider fields stay absent in the result. */
    public static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value == null || value.isNull() || value.isMissingNode() ? null : value.asText();
    }

    public static JsonNode node(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value == null || value.isNull() || value.isMissingNode() ? null : value;
    }
}
