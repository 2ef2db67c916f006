package io.taskroutes.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.taskroutes.errors.ErrorReason;
import io.taskroutes.errors.TaskException;

class CommandParserTest {

    private final CommandParser parser = new CommandParser(null);

    private TaskCommand parse(String json, Operation op) {
        return parser.parse(json == null ? null : json.getBytes(StandardCharsets.UTF_8), op, "fallback-1");
    }

    @ParameterizedTest(name = "{0} -> {2}")
    @CsvSource(delimiter = '|', value = {
            "{\"provider\":\"pyrus\"}                      | task.delete | taskId is required for task.delete",
            "{\"taskId\":1}                                | task.get    | provider is required",
            "not json                                      | task.get    | body is not valid JSON",
            "[1,2]                                         | task.get    | body must be a JSON object, not a JSON array",
            "{\"provider\":\"pyrus\",\"taskId\":true}      | task.get    | taskId must be a string or an integer",
            "{\"provider\":\"p\",\"taskId\":1,\"action\":\"done\"} | task.comment | action must be 'close' or 'reopen'",
            "{\"provider\":\"p\",\"dueDate\":\"1.2.2024\"}   | task.create | dueDate must be YYYY-MM-DD",
            "{\"provider\":\"p\",\"native\":[1]}           | task.create | native must be a JSON object",
            "{\"provider\":\"p\",\"assignee\":{\"name\":\"x\"}} | task.create | assignee must be a person object",
            "{\"provider\":\"p\",\"page\":0}               | task.list   | page must be a positive integer",
            "{\"provider\":\"p\",\"entityId\":\"1\"}       | task.checklist.delete | entityType is required for task.checklist.delete",
            "{\"provider\":\"p\",\"taskId\":1,\"taskId\":2} | task.get  | body is not valid JSON",
    })
    void invalidCommandsNameTheField(String json, String op, String message) {
        assertThatThrownBy(() -> parse(json, Operation.fromWireName(op).orElseThrow()))
                .isInstanceOfSatisfying(TaskException.class, e -> {
                    assertThat(e.reason()).isEqualTo(ErrorReason.INVALID);
                    assertThat(e.getMessage()).contains(message);
                    assertThat(e.operation()).isEqualTo(op);
                });
    }

    @Test
    void emptyAndNonUtf8BodiesAreInvalid() {
        assertThatThrownBy(() -> parse("", Operation.GET)).hasMessageContaining("body is empty");
        assertThatThrownBy(() -> parser.parse(new byte[] {'{', (byte) 0xC3, (byte) 0x28, '}'}, Operation.GET, "x"))
                .hasMessageContaining("not valid UTF-8");
    }

    @Test
    void numericIdsBecomeStringsAndMissingIdFallsBack() {
        TaskCommand c = parse("{\"provider\":\"pyrus\",\"taskId\":11613,\"native\":{\"a\":1}}", Operation.GET);
        assertThat(c.taskId()).isEqualTo("11613");
        assertThat(c.id()).isEqualTo("fallback-1");
        assertThat(c.nativeFields().get("a").asInt()).isEqualTo(1);
        assertThat(parse("{\"id\":\"c-1\",\"provider\":\"pyrus\",\"taskId\":\"1\"}", Operation.GET).id()).isEqualTo("c-1");
    }

    @Test
    void defaultProviderFillsIn() {
        TaskCommand c = new CommandParser("pixflow").parse("{\"taskId\":\"x\"}".getBytes(StandardCharsets.UTF_8), Operation.DELETE, "f");
        assertThat(c.provider()).isEqualTo("pixflow");
    }
}
