package io.taskroutes.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.taskroutes.command.Json;
import io.taskroutes.command.NormalizedTask;

/** What counts as a change: snapshots, versions and event ids, one unit of work after another as the store keeps them. */
class ChangesTest {

    static final Instant SINCE = Instant.parse("2026-12-01T00:00:00Z");
    final Map<String, ObjectNode> stored = new HashMap<>();
    final List<TaskEvent> published = new ArrayList<>();

    /** One unit of work, its snapshots then kept as EventStore.commit would. */
    void unit(java.util.function.Consumer<Changes> work) {
        Changes changes = new Changes("p", stored::get, stored::keySet, false, SINCE, Duration.ofDays(7), Instant.parse("2026-12-01T12:00:00Z"));
        work.accept(changes);
        changes.updates().forEach((id, snapshot) -> {
            if (snapshot == null) {
                stored.remove(id);
            } else {
                stored.put(id, snapshot);
            }
        });
        published.addAll(changes.events());
    }

    static NormalizedTask task(String status, String title, String updatedAt) {
        NormalizedTask task = new NormalizedTask();
        task.id = "T-1";
        task.status = status;
        task.title = title;
        task.createdAt = "2026-11-01T00:00:00Z";
        task.updatedAt = updatedAt;
        return task;
    }

    void see(String status, String title, String version) {
        unit(c -> c.task(task(status, title, version), version, Changes.instant(version), Json.object()));
    }

    @Test
    void twoChangesWithinOneSecondOfTheVersionAreTwoEvents() {
        see("open", "a", "2026-12-01T10:00:00Z");
        see("open", "b", "2026-12-01T10:00:01Z");
        see("closed", "b", "2026-12-01T10:00:01Z");
        assertThat(published).extracting(TaskEvent::type).containsExactly(EventType.UPDATED, EventType.UPDATED, EventType.CLOSED);
        assertThat(published).extracting(TaskEvent::id).doesNotHaveDuplicates();
    }

    @Test
    void theSameStateSeenAgainIsNoChange() {
        see("open", "a", "2026-12-01T10:00:00Z");
        see("open", "b", "2026-12-01T10:00:01Z");
        see("open", "b", "2026-12-01T10:00:01Z");
        assertThat(published).hasSize(2);
    }

    @Test
    void anOlderStateThanTheOneSeenIsIgnoredAndTheSnapshotDoesNotGoBack() {
        see("open", "a", "2026-12-01T10:00:00Z");
        see("closed", "a", "2026-12-01T10:00:05Z");
        // a provider's late retry of the first webhook
        see("open", "a", "2026-12-01T10:00:00Z");
        see("closed", "a", "2026-12-01T10:00:05Z");
        assertThat(published).extracting(TaskEvent::type).containsExactly(EventType.UPDATED, EventType.CLOSED);
        assertThat(stored.get("T-1").path("fields").path("status").asText()).isEqualTo("closed");
    }

    @Test
    void aStatusThatComesBackIsAnotherChange() {
        for (String code : List.of("5", "15", "5", "15")) {
            unit(c -> c.task(task("open", null, null), "status:" + code, null, Json.object(), Json.object().put("pixflowStatus", code)));
        }
        assertThat(published).hasSize(4);
        assertThat(published).extracting(TaskEvent::id).doesNotHaveDuplicates();
    }

    @Test
    void aPublishedEventIdIsNotPublishedAgainForTheTask() {
        ObjectNode comment = Json.object().put("id", "9").put("text", "hi");
        for (int i = 0; i < 2; i++) {
            unit(c -> c.event("T-1", EventType.COMMENTED, "comment:9", null, null, comment, null, Json.object()));
        }
        assertThat(published).hasSize(1);
    }

    @Test
    void keysetReadsEveryItemWhenOneMovesToTheEndWhileThePagesAreRead() {
        // five tasks updated at 1..5; task 1 is updated again (to 9) right after the first page is read
        List<long[]> tasks = new ArrayList<>(List.of(new long[] {1, 1}, new long[] {2, 2}, new long[] {3, 3}, new long[] {4, 4}, new long[] {5, 5}));
        List<Long> seen = new ArrayList<>();
        int[] reads = {0};
        Instant end = Changes.keyset(Instant.ofEpochSecond(1), 2, from -> {
            if (reads[0]++ == 1) {
                tasks.get(0)[1] = 9;
            }
            ArrayNode page = Json.MAPPER.createArrayNode();
            tasks.stream().filter(t -> t[1] >= from.getEpochSecond()).sorted((a, b) -> Long.compare(a[1], b[1])).limit(2)
                    .forEach(t -> page.addObject().put("id", t[0]).put("at", t[1]));
            return page;
        }, item -> {
            seen.add(item.path("id").asLong());
            return Instant.ofEpochSecond(item.path("at").asLong());
        });
        assertThat(seen).contains(1L, 2L, 3L, 4L, 5L);
        assertThat(end).isEqualTo(Instant.ofEpochSecond(9));
    }

    @Test
    void zoneLessTimesAreReadAsUtc() {
        assertThat(Changes.instant("2026-12-01 10:15:30")).isEqualTo(Instant.parse("2026-12-01T10:15:30Z"));
        assertThat(Changes.instant("2024-05-21T08:00:00.000+0000")).isEqualTo(Instant.parse("2024-05-21T08:00:00Z"));
        assertThat(Changes.instant("not a time")).isNull();
    }

}
