package io.taskroutes.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.JsonNode;
import io.taskroutes.command.CommandParser;
import io.taskroutes.command.Json;
import io.taskroutes.command.Operation;
import io.taskroutes.command.TaskCommand;

/** Request/response samples from the providers' docs, under src/test/resources/fixtures/<provider>/. */
public final class Fixtures {

    private Fixtures() {
    }

    public static String text(String path) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/fixtures/" + path)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static JsonNode json(String path) {
        try {
            return Json.MAPPER.readTree(text(path));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static TaskCommand command(String json, Operation operation) {
        return new CommandParser(null).parse(json.getBytes(StandardCharsets.UTF_8), operation, "test-id");
    }
}
