package io.taskroutes.schemas;

import static io.taskroutes.schemas.MessageSchemasTest.schema;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.taskroutes.command.Json;

/** The task-event schemas (contract section 9, from the classpath as shipped) and their place in asyncapi.yaml. */
class TaskEventSchemasTest {

    static final String TASK = "{\"id\":\"11613\",\"title\":\"Printer\",\"text\":\"Help with printer\",\"status\":\"open\","
            + "\"createdAt\":\"2026-01-10T08:00:00Z\",\"updatedAt\":\"2026-01-10T09:30:00Z\",\"dueDate\":null,"
            + "\"url\":\"https://pyrus.com/t#id11613\",\"parentId\":null,\"assignee\":{\"id\":1733},\"author\":{\"id\":1},"
            + "\"raw\":{\"id\":11613}}";

    static final List<String> VALID = List.of(
            // created, with the task and no changes
            "{\"provider\":\"pyrus\",\"taskId\":\"11613\",\"task\":" + TASK + ",\"raw\":{\"event\":\"task_received\",\"task_id\":11613}}",
            // updated, with changes of any value type
            "{\"provider\":\"yandex-tracker\",\"taskId\":\"TEST-1\",\"task\":{\"id\":\"TEST-1\",\"status\":\"inProgress\"},"
                    + "\"changes\":[{\"field\":\"status\",\"from\":\"open\",\"to\":\"inProgress\"},"
                    + "{\"field\":\"assignee\",\"from\":null,\"to\":{\"id\":\"42\"}}],\"raw\":{\"key\":\"TEST-1\"}}",
            // commented, with the comment (author null) and empty changes
            "{\"provider\":\"worksection\",\"taskId\":\"1002\",\"task\":{\"id\":\"1002\"},\"comment\":{\"id\":\"c-7\","
                    + "\"text\":\"done?\",\"author\":null,\"createdAt\":\"2026-01-10T09:31:00\"},\"changes\":[],"
                    + "\"raw\":[{\"action\":\"post\",\"object\":{\"type\":\"comment\",\"id\":\"7\"}}]}",
            // deleted: the provider sent no task
            "{\"provider\":\"taskapi\",\"taskId\":\"task-9\",\"raw\":{\"id\":\"task-9\"}}",
            "{\"provider\":\"pixflow\",\"taskId\":\"gsvyz98boa\",\"task\":null,\"raw\":{\"task_uid\":\"gsvyz98boa\"}}");

    static final List<String> INVALID = List.of(
            "{\"provider\":\"pyrus\",\"taskId\":11613}", // taskId is a string in events
            "{\"provider\":\"pyrus\",\"taskId\":\"\"}",
            "{\"taskId\":\"11613\",\"raw\":{}}", // no provider
            "{\"provider\":\"jira\",\"taskId\":\"J-1\"}", // not a provider
            "{\"provider\":\"pyrus\"}", // no taskId
            "{\"provider\":\"pyrus\",\"taskId\":\"1\",\"task\":\"closed\"}",
            "{\"provider\":\"pyrus\",\"taskId\":\"1\",\"task\":{\"id\":1}}", // the normalized task's id is a string
            "{\"provider\":\"pyrus\",\"taskId\":\"1\",\"comment\":{\"text\":\"no id\"}}",
            "{\"provider\":\"pyrus\",\"taskId\":\"1\",\"comment\":{\"id\":\"1\",\"text\":\"x\",\"author\":\"bob\"}}",
            "{\"provider\":\"pyrus\",\"taskId\":\"1\",\"changes\":{\"field\":\"status\"}}",
            "{\"provider\":\"pyrus\",\"taskId\":\"1\",\"changes\":[{\"from\":1,\"to\":2}]}",
            "{\"provider\":\"pyrus\",\"taskId\":\"1\",\"raw\":\"text\"}",
            "[{\"provider\":\"pyrus\",\"taskId\":\"1\"}]");

    @Test
    void sampleEventDataIsAccepted() throws Exception {
        for (String data : VALID) {
            assertThat(schema("task-event.schema.json").validate(Json.MAPPER.readTree(data))).as(data).isEmpty();
        }
    }

    @Test
    void invalidEventDataIsRejected() throws Exception {
        for (String data : INVALID) {
            assertThat(schema("task-event.schema.json").validate(Json.MAPPER.readTree(data))).as("must reject " + data).isNotEmpty();
        }
    }

    @Test
    void headersSchemaDescribesTheCloudEventsAttributes() throws Exception {
        String headers = "{\"ce_specversion\":\"1.0\",\"ce_id\":\"5f1c0e2a-3b4d-5e6f-8a9b-0c1d2e3f4a5b\","
                + "\"ce_source\":\"/task-routes/yandex-tracker\",\"ce_type\":\"io.taskroutes.task.commented\","
                + "\"ce_subject\":\"TEST-1\",\"ce_time\":\"2026-01-10T09:31:00Z\",\"content-type\":\"application/json\"}";
        JsonNode ok = Json.MAPPER.readTree(headers);
        assertThat(schema("task-event-headers.schema.json").validate(ok)).isEmpty();
        for (String[] bad : new String[][] {{"ce_specversion", "0.3"}, {"ce_source", "/task-routes/jira"},
                {"ce_type", "io.taskroutes.task.moved"}, {"content-type", "text/plain"}}) {
            JsonNode changed = ok.deepCopy();
            ((ObjectNode) changed).put(bad[0], bad[1]);
            assertThat(schema("task-event-headers.schema.json").validate(changed)).as(bad[0] + "=" + bad[1]).isNotEmpty();
        }
        JsonNode missing = ok.deepCopy();
        ((ObjectNode) missing).remove("ce_id");
        assertThat(schema("task-event-headers.schema.json").validate(missing)).isNotEmpty();
    }

    @Test
    @SuppressWarnings("unchecked")
    void asyncApiHasTheTaskEventsChannelAndEveryReferenceResolves() throws Exception {
        Map<String, Object> doc;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("schemas/asyncapi.yaml")) {
            doc = (Map<String, Object>) new Load(LoadSettings.builder().build()).loadFromInputStream(in);
        }
        Map<String, Object> channel = (Map<String, Object>) ((Map<String, Object>) doc.get("channels")).get("task-events");
        assertThat(channel).as("channels.task-events").isNotNull();
        assertThat(channel.get("address")).isEqualTo("task.events");
        Map<String, Object> message = (Map<String, Object>) resolve(doc, (String) ((Map<String, Object>)
                ((Map<String, Object>) channel.get("messages")).values().iterator().next()).get("$ref"));
        Map<String, Object> payload = (Map<String, Object>) message.get("payload");
        assertThat(((Map<String, Object>) payload.get("schema")).get("$ref")).isEqualTo("task-event.schema.json");
        assertThat(((Map<String, Object>) message.get("headers")).get("$ref")).isEqualTo("task-event-headers.schema.json");

        List<String> refs = new ArrayList<>();
        collectRefs(doc, refs);
        assertThat(refs).contains("task-event.schema.json", "task-event-headers.schema.json");
        for (String ref : refs) {
            if (ref.startsWith("#")) {
                assertThat(resolve(doc, ref)).as(ref).isNotNull();
            } else {
                String file = ref.contains("#") ? ref.substring(0, ref.indexOf('#')) : ref;
                assertThat(getClass().getClassLoader().getResource("schemas/" + file)).as(ref).isNotNull();
                if (ref.contains("#")) {
                    try (InputStream in = getClass().getClassLoader().getResourceAsStream("schemas/" + file)) {
                        assertThat(Json.MAPPER.readTree(in).at(ref.substring(ref.indexOf('#') + 1)).isMissingNode()).as(ref).isFalse();
                    }
                }
            }
        }
    }

    @SuppressWarnings("unchecked")
    static void collectRefs(Object node, List<String> refs) {
        if (node instanceof Map<?, ?> map) {
            map.forEach((key, value) -> {
                if ("$ref".equals(key)) {
                    refs.add((String) value);
                } else {
                    collectRefs(value, refs);
                }
            });
        } else if (node instanceof List<?> list) {
            list.forEach(item -> collectRefs(item, refs));
        }
    }

    /** A local reference ({@code #/a/b}) in the YAML document, or null. */
    @SuppressWarnings("unchecked")
    static Object resolve(Map<String, Object> doc, String ref) {
        Object node = doc;
        for (String part : ref.substring(2).split("/")) {
            if (!(node instanceof Map<?, ?>)) {
                return null;
            }
            node = ((Map<String, Object>) node).get(part.replace("~1", "/").replace("~0", "~"));
        }
        return node;
    }
}
