package io.taskroutes.command;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.taskroutes.errors.ErrorReason;
import io.taskroutes.errors.TaskException;

/**
 * Turns the raw message body into a {@link TaskCommand}. Every failure is reason {@code invalid} with a
 * message that names the field, so a caller can fix the command without reading our code.
 */
public final class CommandParser {

    private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");

    private final String defaultProvider;

    public CommandParser(String defaultProvider) {
        this.defaultProvider = defaultProvider == null || defaultProvider.isBlank() ? null : defaultProvider;
    }

    /**
     * The provider a raw command names (or the default), lower-cased, without validating anything else; null when
     * the bytes are no JSON object naming one. Lets the Kafka lanes apply a provider's in-flight limit before the
     * command is parsed for real.
     */
    public String providerHint(byte[] body) {
        String provider = null;
        if (body != null && body.length > 0 && body.length <= 1 << 20) {
            try {
                JsonNode node = Json.MAPPER.readTree(body).get("provider");
                provider = node != null && node.isTextual() && !node.asText().isBlank() ? node.asText() : null;
            } catch (IOException | RuntimeException e) {
                return null; // refused later, with the reason, as a dead letter
            }
        }
        provider = provider != null ? provider : defaultProvider;
        return provider == null ? null : provider.trim().toLowerCase(java.util.Locale.ROOT);
    }

    public TaskCommand parse(byte[] body, Operation operation, String fallbackId) {
        ObjectNode json = readObject(body, operation, fallbackId);
        // id and provider first, so that every later complaint can say which command and provider it was about
        Fields f = new Fields(json, operation, fallbackId, null);
        String id = f.idLike("id");
        f = new Fields(json, operation, id != null ? id : fallbackId, null);
        String provider = f.text("provider");
        if (provider == null) {
            provider = defaultProvider;
        }
        f = new Fields(json, operation, f.commandId(), provider);
        if (provider == null) {
            throw f.invalid("provider is required (or set tasks.default-provider)");
        }
        String declared = f.text("operation");
        if (declared != null && !declared.equals(operation.wireName())) {
            throw f.invalid("operation '" + declared + "' does not match the endpoint's " + operation.wireName());
        }
        String taskId = f.idLike("taskId");
        if (operation.needsTaskId() && taskId == null) {
            throw f.invalid("taskId is required for " + operation.wireName());
        }
        if (taskId != null && taskId.isBlank()) {
            throw f.invalid("taskId must not be blank");
        }
        String action = f.text("action");
        if (action != null && !action.equals("close") && !action.equals("reopen")) {
            throw f.invalid("action must be 'close' or 'reopen', not '" + action + "'");
        }
        String dueDate = f.text("dueDate");
        if (dueDate != null && !DATE.matcher(dueDate).matches()) {
            throw f.invalid("dueDate must be YYYY-MM-DD, not '" + dueDate + "'");
        }
        String entityType = f.text("entityType");
        String entityId = f.idLike("entityId");
        if (operation == Operation.CHECKLIST_DELETE) {
            if (entityType == null) {
                throw f.invalid("entityType is required for " + operation.wireName());
            }
            if (entityId == null) {
                throw f.invalid("entityId is required for " + operation.wireName());
            }
        }
        return new TaskCommand(
                f.commandId(),
                operation,
                provider,
                taskId,
                f.text("title"),
                f.text("text"),
                f.text("formattedText"),
                action,
                f.person("assignee"),
                f.persons("participants"),
                dueDate,
                f.idLike("parentTaskId"),
                f.scalar("formId"),
                f.array("fields"),
                f.idLike("project"),
                f.text("status"),
                f.bool("force"),
                f.object("filter"),
                f.positiveInt("page"),
                f.positiveInt("perPage"),
                f.text("sort"),
                f.strings("include"),
                Boolean.TRUE.equals(f.bool("allPages")),
                entityType,
                entityId,
                f.bool("notify"),
                f.bool("notifyAuthor"),
                f.object("native"));
    }

    private static ObjectNode readObject(byte[] body, Operation operation, String fallbackId) {
        if (body == null || body.length == 0) {
            throw invalid(operation, fallbackId, null, "body is empty: expected a JSON object");
        }
        try {
            // Jackson would replace malformed UTF-8 silently; the contract says UTF-8, so refuse it by name.
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body));
        } catch (CharacterCodingException e) {
            throw invalid(operation, fallbackId, null, "body is not valid UTF-8");
        }
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(body);
        } catch (IOException e) {
            String detail = e.getMessage() == null ? "" : e.getMessage().lines().findFirst().orElse("");
            throw invalid(operation, fallbackId, null, "body is not valid JSON: " + detail);
        }
        if (node == null || !node.isObject()) {
            throw invalid(operation, fallbackId, null, "body must be a JSON object, not " + describe(node));
        }
        return (ObjectNode) node;
    }

    private static String describe(JsonNode node) {
        return node == null || node.isMissingNode() ? "nothing" : "a JSON " + node.getNodeType().name().toLowerCase();
    }

    private static TaskException invalid(Operation operation, String commandId, String provider, String message) {
        return new TaskException(ErrorReason.INVALID, message).withOperation(operation.wireName())
                .withCommandId(commandId).withProvider(provider);
    }

    /** Typed, named access to the command's fields. */
    private record Fields(ObjectNode json, Operation operation, String commandId, String provider) {

        TaskException invalid(String message) {
            return CommandParser.invalid(operation, commandId, provider, message);
        }

        private JsonNode present(String name) {
            JsonNode node = json.get(name);
            return node == null || node.isNull() ? null : node;
        }

        String text(String name) {
            JsonNode node = present(name);
            if (node == null) {
                return null;
            }
            if (!node.isTextual()) {
                throw invalid(name + " must be a string");
            }
            return node.asText();
        }

        /** Ids may be strings or integers; both become strings. */
        String idLike(String name) {
            JsonNode node = present(name);
            if (node == null) {
                return null;
            }
            if (node.isTextual() || node.isIntegralNumber()) {
                return node.asText();
            }
            throw invalid(name + " must be a string or an integer");
        }

        JsonNode scalar(String name) {
            JsonNode node = present(name);
            if (node != null && !node.isValueNode()) {
                throw invalid(name + " must be a string or a number");
            }
            return node;
        }

        Boolean bool(String name) {
            JsonNode node = present(name);
            if (node == null) {
                return null;
            }
            if (!node.isBoolean()) {
                throw invalid(name + " must be true or false");
            }
            return node.booleanValue();
        }

        Integer positiveInt(String name) {
            JsonNode node = present(name);
            if (node == null) {
                return null;
            }
            if (!node.canConvertToInt() || !node.isIntegralNumber() || node.intValue() < 1) {
                throw invalid(name + " must be a positive integer");
            }
            return node.intValue();
        }

        ObjectNode object(String name) {
            JsonNode node = present(name);
            if (node == null) {
                return null;
            }
            if (!node.isObject()) {
                throw invalid(name + " must be a JSON object");
            }
            return (ObjectNode) node;
        }

        ArrayNode array(String name) {
            JsonNode node = present(name);
            if (node == null) {
                return null;
            }
            if (!node.isArray()) {
                throw invalid(name + " must be a JSON array");
            }
            return (ArrayNode) node;
        }

        ObjectNode person(String name) {
            JsonNode node = present(name);
            return node == null ? null : checkPerson(node, name);
        }

        List<ObjectNode> persons(String name) {
            ArrayNode array = array(name);
            if (array == null) {
                return null;
            }
            List<ObjectNode> persons = new ArrayList<>();
            for (int i = 0; i < array.size(); i++) {
                persons.add(checkPerson(array.get(i), name + "[" + i + "]"));
            }
            return persons;
        }

        private ObjectNode checkPerson(JsonNode node, String name) {
            if (!node.isObject() || !(node.has("id") || node.has("email"))) {
                throw invalid(name + " must be a person object with \"id\" or \"email\"");
            }
            return (ObjectNode) node;
        }

        List<String> strings(String name) {
            ArrayNode array = array(name);
            if (array == null) {
                return null;
            }
            List<String> values = new ArrayList<>();
            for (int i = 0; i < array.size(); i++) {
                if (!array.get(i).isTextual()) {
                    throw invalid(name + "[" + i + "] must be a string");
                }
                values.add(array.get(i).asText());
            }
            return values;
        }
    }
}
