package io.taskroutes.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

import io.taskroutes.command.CommandParser;
import io.taskroutes.command.Json;
import io.taskroutes.command.Operation;
import io.taskroutes.errors.ErrorReason;
import io.taskroutes.errors.TaskException;

/** The published schemas (from the classpath, as shipped) agree with what the bundle accepts and rejects. */
public class MessageSchemasTest {

    static final String BASE = "https://taskroutes.io/schemas/";
    static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012,
            b -> b.schemaMappers(m -> m.mapPrefix(BASE, "classpath:schemas/")));
    static final List<String> OPERATIONS = List.of("task.get", "task.list", "task.create", "task.update", "task.delete",
            "task.comment", "task.checklist.delete");

    /** A published schema as shipped (from the classpath), its $refs resolved there too. */
    public static JsonSchema schema(String path) {
        return FACTORY.getSchema(SchemaLocation.of(BASE + path));
    }

    static Set<ValidationMessage> validate(String operation, String command) throws Exception {
        return schema("command/" + operation + ".schema.json").validate(Json.MAPPER.readTree(command));
    }

    /** The operation a fixture is for: its file name's first word where that is one, else its "operation" field. */
    static java.util.Optional<String> operationOf(Path fixture, String command) throws Exception {
        String name = fixture.getFileName().toString();
        String guess = name.startsWith("checklist-delete") ? "task.checklist.delete" : "task." + name.split("[-.]")[0];
        if (OPERATIONS.contains(guess)) {
            return java.util.Optional.of(guess);
        }
        JsonNode declared = Json.MAPPER.readTree(command).get("operation");
        return java.util.Optional.ofNullable(declared).map(JsonNode::asText).filter(OPERATIONS::contains);
    }

    static boolean parses(String operation, String command) {
        try {
            new CommandParser(null).parse(command.getBytes(StandardCharsets.UTF_8), Operation.fromWireName(operation).orElseThrow(), "f");
            return true;
        } catch (TaskException e) {
            assertThat(e.reason()).isEqualTo(ErrorReason.INVALID);
            return false;
        }
    }

    @Test
    void everyFixtureCommandValidatesAndParses() throws Exception {
        List<Path> fixtures;
        try (Stream<Path> files = Files.walk(Path.of("src/test/resources/fixtures"))) {
            fixtures = files.filter(f -> f.toString().endsWith(".command.json")).toList();
        }
        assertThat(fixtures).isNotEmpty();
        for (Path fixture : fixtures) {
            String command = Files.readString(fixture);
            var named = operationOf(fixture, command);
            named.ifPresent(op -> {
                try {
                    assertThat(validate(op, command)).as(fixture + " against " + op).isEmpty();
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
                assertThat(parses(op, command)).as(fixture + " parses for " + op).isTrue();
            });
            // whatever its name: for every operation, the schema accepts it exactly when the bundle does,
            // and at least one operation takes it
            int accepted = 0;
            for (String op : OPERATIONS) {
                boolean schemaOk = validate(op, command).isEmpty();
                assertThat(schemaOk).as("%s for %s: schema and CommandParser agree", fixture, op).isEqualTo(parses(op, command));
                accepted += schemaOk ? 1 : 0;
            }
            assertThat(accepted).as(fixture + " is a valid command for some operation").isPositive();
        }
    }

    static final Map<String, List<String>> VALID = Map.of(
            "task.get", List.of("{\"provider\":\"pyrus\",\"taskId\":11613}", "{\"provider\":\"pixflow\",\"taskId\":\"abc\",\"title\":null}"),
            "task.list", List.of("{\"provider\":\"worksection\",\"project\":7,\"page\":1,\"perPage\":50,\"include\":[\"text\"],\"allPages\":true,\"filter\":{\"a\":1}}"),
            "task.update", List.of("{\"provider\":\"yandex-tracker\",\"taskId\":\"Q-1\",\"status\":\"closed\",\"dueDate\":\"2025-01-31\",\"operation\":\"task.update\"}"),
            "task.comment", List.of("{\"provider\":\"pyrus\",\"taskId\":1,\"text\":\"hi\",\"action\":\"reopen\",\"assignee\":{\"email\":\"a@b.c\"}}"),
            "task.checklist.delete", List.of("{\"provider\":\"yandex-tracker\",\"entityType\":\"goal\",\"entityId\":5,\"notify\":false}"),
            "task.delete", List.of("{\"provider\":\"taskapi\",\"taskId\":9,\"force\":true,\"native\":{\"x\":1},\"unknownField\":1}"));

    @Test
    void handWrittenValidCommandsAreAcceptedByBoth() throws Exception {
        for (var entry : VALID.entrySet()) {
            for (String command : entry.getValue()) {
                assertThat(validate(entry.getKey(), command)).as(command).isEmpty();
                new CommandParser(null).parse(command.getBytes(StandardCharsets.UTF_8), Operation.fromWireName(entry.getKey()).orElseThrow(), "f");
            }
        }
    }

    /** Each is rejected by CommandParser as invalid, and by the schema. */
    static final List<String[]> INVALID = List.of(
            new String[] {"task.get", "[1,2]"},
            new String[] {"task.get", "\"text\""},
            new String[] {"task.get", "{\"taskId\":1}"},
            new String[] {"task.get", "{\"provider\":\"pyrus\"}"},
            new String[] {"task.get", "{\"provider\":\"pyrus\",\"taskId\":\"  \"}"},
            new String[] {"task.get", "{\"provider\":\"pyrus\",\"taskId\":1.5}"},
            new String[] {"task.get", "{\"provider\":\"pyrus\",\"taskId\":{\"a\":1}}"},
            new String[] {"task.get", "{\"provider\":42,\"taskId\":1}"},
            new String[] {"task.get", "{\"provider\":\"pyrus\",\"taskId\":1,\"operation\":\"task.delete\"}"},
            new String[] {"task.get", "{\"provider\":\"pyrus\",\"taskId\":1,\"id\":true}"},
            new String[] {"task.comment", "{\"provider\":\"pyrus\",\"taskId\":1,\"action\":\"done\"}"},
            new String[] {"task.comment", "{\"provider\":\"pyrus\",\"taskId\":1,\"assignee\":{\"name\":\"x\"}}"},
            new String[] {"task.comment", "{\"provider\":\"pyrus\",\"taskId\":1,\"text\":5}"},
            new String[] {"task.create", "{\"provider\":\"pyrus\",\"dueDate\":\"31.12.2025\"}"},
            new String[] {"task.create", "{\"provider\":\"pyrus\",\"participants\":{\"id\":1}}"},
            new String[] {"task.create", "{\"provider\":\"pyrus\",\"participants\":[{\"id\":1},\"bob\"]}"},
            new String[] {"task.create", "{\"provider\":\"pyrus\",\"fields\":{\"id\":1}}"},
            new String[] {"task.create", "{\"provider\":\"pyrus\",\"formId\":[1]}"},
            new String[] {"task.create", "{\"provider\":\"pyrus\",\"native\":[1]}"},
            new String[] {"task.update", "{\"provider\":\"yandex-tracker\",\"title\":\"no id\"}"},
            new String[] {"task.delete", "{\"provider\":\"taskapi\",\"taskId\":1,\"force\":\"yes\"}"},
            new String[] {"task.list", "{\"provider\":\"worksection\",\"page\":0}"},
            new String[] {"task.list", "{\"provider\":\"worksection\",\"perPage\":2.5}"},
            new String[] {"task.list", "{\"provider\":\"worksection\",\"include\":[1]}"},
            new String[] {"task.list", "{\"provider\":\"worksection\",\"filter\":\"x\"}"},
            new String[] {"task.list", "{\"provider\":\"worksection\",\"allPages\":1}"},
            new String[] {"task.checklist.delete", "{\"provider\":\"yandex-tracker\",\"entityId\":5}"},
            new String[] {"task.checklist.delete", "{\"provider\":\"yandex-tracker\",\"entityType\":\"goal\"}"});

    @Test
    void invalidCommandsAreRejectedByTheSchemaAndTheBundleAlike() throws Exception {
        for (String[] c : INVALID) {
            String op = c[0];
            String command = c[1];
            assertThat(validate(op, command)).as("schema of %s must reject %s", op, command).isNotEmpty();
            TaskException e = catchThrowableOfType(TaskException.class, () -> new CommandParser(null)
                    .parse(command.getBytes(StandardCharsets.UTF_8), Operation.fromWireName(op).orElseThrow(), "f"));
            assertThat(e).as("CommandParser must reject %s for %s", command, op).isNotNull();
            assertThat(e.reason()).isEqualTo(ErrorReason.INVALID);
        }
    }

    @Test
    void resultAndDeadLetterSchemasDescribeWhatTheBundleWrites() throws Exception {
        JsonNode ok = Json.MAPPER.readTree("{\"commandId\":\"c-42\",\"operation\":\"task.delete\",\"provider\":\"pixflow\","
                + "\"taskId\":\"gsvyz98boa\",\"status\":\"ok\",\"raw\":{\"type\":\"success\"}}");
        assertThat(schema("result.schema.json").validate(ok)).isEmpty();
        JsonNode error = Json.MAPPER.readTree("{\"commandId\":\"c-1\",\"operation\":\"task.get\",\"status\":\"error\","
                + "\"error\":{\"reason\":\"rejected\",\"message\":\"not found\",\"httpStatus\":404}}");
        assertThat(schema("result.schema.json").validate(error)).isEmpty();
        assertThat(schema("result.schema.json").validate(Json.MAPPER.readTree("{\"operation\":\"task.get\",\"status\":\"error\"}")))
                .isNotEmpty();
        JsonNode headers = Json.MAPPER.readTree("{\"task.error.reason\":\"unavailable\",\"task.error.message\":\"503\","
                + "\"task.error.class\":\"io.taskroutes.errors.TaskException\",\"task.error.http-status\":\"503\","
                + "\"task.error.attempts\":\"5\",\"task.origin.topic\":\"task.get\",\"task.origin.partition\":\"0\","
                + "\"task.origin.offset\":\"12\",\"task.command-id\":\"c-1\",\"task.failed-at\":\"2026-11-23T08:00:00Z\"}");
        assertThat(schema("dead-letter-headers.schema.json").validate(headers)).isEmpty();
    }

    @Test
    @SuppressWarnings("unchecked")
    void asyncApiDescribesEveryTopic() throws Exception {
        Map<String, Object> doc;
        try (var in = getClass().getClassLoader().getResourceAsStream("schemas/asyncapi.yaml")) {
            doc = (Map<String, Object>) new Load(LoadSettings.builder().build()).loadFromInputStream(in);
        }
        assertThat(doc.get("asyncapi")).isEqualTo("3.0.0");
        Map<String, Map<String, Object>> channels = (Map<String, Map<String, Object>>) doc.get("channels");
        List<Object> addresses = channels.values().stream().map(c -> c.get("address")).toList();
        assertThat(addresses).containsAll(OPERATIONS).contains("task.results", "task.dlq");
        for (String op : OPERATIONS) {
            assertThat(getClass().getClassLoader().getResource("schemas/command/" + op + ".schema.json")).isNotNull();
        }
    }
}
