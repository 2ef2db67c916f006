package io.taskroutes.embed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.taskroutes.command.Json;

/** Used by the {@code task-*-sink} Kamelets: fills in the Kamelet's provider when the command names none. */
public final class KameletCommands {

    /** The command with {@code provider} set if absent; anything that is not a JSON object passes unchanged. */
    public static String withProvider(String body, String provider) {
        if (body == null || provider == null || provider.isBlank()) {
            return body;
        }
        try {
            JsonNode node = Json.MAPPER.readTree(body);
            if (node instanceof ObjectNode command && !command.hasNonNull("provider")) {
                command.put("provider", provider);
                return Json.MAPPER.writeValueAsString(command);
            }
        } catch (Exception notJson) {
            // the bundle rejects it as invalid, with its own message
        }
        return body;
    }
}
