package io.taskroutes.provider.worksection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.taskroutes.command.Json;
import io.taskroutes.events.Changes;
import io.taskroutes.events.EventType;
import io.taskroutes.events.TaskEvent;
import io.taskroutes.provider.ProviderConfig;

class WorksectionChangesTest {

    @Test
    void twoUpdatesOfOneTaskInTheSameMinuteAreTwoEventsInTheirOrder() {
        ObjectNode answer = Json.object();
        // answered newest first: the poll still publishes oldest first
        answer.putObject("raw").putArray("data")
                .add(item("update", "2026-12-01 10:15", "{\"user_to\":\"bob\"}", "{\"user_to\":\"ann\"}"))
                .add(item("update", "2026-12-01 10:15", "{\"name\":\"New\"}", "{\"name\":\"Old\"}"))
                .add(item("update", "2026-12-01 10:14", "{\"name\":\"Old\"}", "{\"name\":\"Older\"}"));
        Map<String, ObjectNode> stored = new HashMap<>();
        Changes changes = new Changes("worksection", stored::get, stored::keySet, false, Instant.parse("2026-12-01T00:00:00Z"),
                Duration.ofDays(7), Instant.parse("2026-12-01T10:16:00Z"));
        WorksectionChanges source = new WorksectionChanges(new ProviderConfig("worksection", key -> Optional.empty()));
        source.poll("2026-12-01T10:00:00Z", (operation, command) -> answer, changes);
        assertThat(changes.events()).extracting(TaskEvent::type).containsOnly(EventType.UPDATED);
        assertThat(changes.events()).extracting(e -> e.data().path("changes").get(0).path("to").asText())
                .containsExactly("Old", "New", "bob");
        assertThat(changes.events()).extracting(TaskEvent::id).doesNotHaveDuplicates();
    }

    @Test
    void aWebhookUserWithoutAPasswordStopsTheStart() {
        ProviderConfig config = new ProviderConfig("worksection",
                key -> key.equals("tasks.worksection.events.webhook-user") ? Optional.of("hook") : Optional.empty());
        assertThatThrownBy(() -> new WorksectionChanges(config)).hasMessageContaining("tasks.worksection.events.webhook-password");
    }

    private static ObjectNode item(String action, String at, String to, String from) {
        ObjectNode item = Json.object().put("action", action).put("date_added", at);
        item.putObject("object").put("type", "task").put("id", "1001").put("page", "/project/1/1001/");
        item.set("new", Json.readLenient(to.getBytes()));
        item.set("old", Json.readLenient(from.getBytes()));
        item.putObject("user_from").put("id", "7");
        return item;
    }
}
