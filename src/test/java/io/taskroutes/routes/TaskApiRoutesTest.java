package io.taskroutes.routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;
import io.taskroutes.command.Json;
import io.taskroutes.errors.ErrorReason;
import io.taskroutes.errors.TaskException;
import io.taskroutes.sandbox.RecordedRequest;
import io.taskroutes.sandbox.TaskApiSimulator;
import io.taskroutes.testsupport.Direct;
import io.taskroutes.testsupport.SandboxBundle;
import io.taskroutes.testsupport.Records;
import io.taskroutes.testsupport.TestKafka;

/** Task API v2 over direct and Kafka against the sandbox: index walks, Yii2 errors, delete without force. */
class TaskApiRoutesTest {

    @RegisterExtension
    static final SandboxBundle env = new SandboxBundle(Map.of("tasks.taskapi.list.max-pages", "4"));

    private List<RecordedRequest> calls() {
        return env.sandbox().requests("taskapi");
    }

    private static JsonNode body(RecordedRequest r) throws Exception {
        return Json.MAPPER.readTree(r.body());
    }

    @Test
    void anIndexWalkRequestsEveryPageWithFilterAndSortAndReturnsAllTasks() throws Exception {
        JsonNode result = Direct.call(env.bundle().template(), "task.list",
                "{\"provider\":\"taskapi\",\"filter\":{\"handler\":\"ImportHandler\"},\"perPage\":10,\"sort\":\"-created_at\",\"allPages\":true}");

        assertThat(calls()).hasSize(3);
        for (int page = 1; page <= 3; page++) {
            RecordedRequest call = calls().get(page - 1);
            assertThat(call.method()).isEqualTo("POST");
            assertThat(call.path()).isEqualTo("/taskapi/v2/task/index");
            assertThat(call.header("Authorization")).isEqualTo("Bearer " + TaskApiSimulator.TOKEN);
            assertThat(body(call)).isEqualTo(Json.MAPPER.readTree(
                    "{\"filter\":{\"handler\":\"ImportHandler\"},\"per-page\":10,\"page\":" + page + ",\"sort\":\"-created_at\"}"));
        }
        assertThat(result.get("tasks")).hasSize(30);
        assertThat(result.get("tasks")).allSatisfy(t -> assertThat(t.get("title").asText()).isEqualTo("ImportHandler"));
        assertThat(result.get("tasks").get(0).get("createdAt").asText()).isGreaterThan(result.get("tasks").get(29).get("createdAt").asText());
        assertThat(result.get("page").get("totalCount").asInt()).isEqualTo(30);
        assertThat(result.get("page").get("pageCount").asInt()).isEqualTo(3);
        assertThat(result.get("page").get("pagesFetched").asInt()).isEqualTo(3);
    }

    @Test
    void oneListPageCarriesThePaginationTotals() {
        JsonNode result = Direct.call(env.bundle().template(), "task.list", "{\"provider\":\"taskapi\",\"perPage\":20,\"page\":2}");
        assertThat(result.get("tasks")).hasSize(20);
        assertThat(result.get("page").get("currentPage").asInt()).isEqualTo(2);
        assertThat(result.get("page").get("totalCount").asInt()).isEqualTo(45);
        assertThat(calls()).hasSize(1);
    }

    @Test
    void aFailedPageIsRetriedAndTheWalkResumesThere() throws Exception {
        env.sandbox().faults("taskapi").passNext(1).failNext(1, 503);
        JsonNode result = Direct.call(env.bundle().template(), "task.list", "{\"provider\":\"taskapi\",\"perPage\":20,\"allPages\":true}");
        List<Integer> pagesRequested = new java.util.ArrayList<>();
        for (RecordedRequest call : calls()) {
            pagesRequested.add(body(call).get("page").asInt());
        }
        assertThat(pagesRequested).containsExactly(1, 2, 2, 3);
        assertThat(result.get("tasks")).hasSize(45);
        assertThat(result.get("tasks")).extracting(t -> t.get("id").asText()).doesNotHaveDuplicates();
    }

    @Test
    void aServerWhosePagesNeverEndIsCutAtThePageCap() {
        env.sandbox().simulator(TaskApiSimulator.class).neverEndingPagination(true);
        JsonNode result = Direct.call(env.bundle().template(), "task.list", "{\"provider\":\"taskapi\",\"perPage\":5,\"allPages\":true}");
        assertThat(calls()).hasSize(4);
        assertThat(result.get("page").get("truncated").asBoolean()).isTrue();
        assertThat(result.get("tasks")).hasSize(20);
    }

    @Test
    void createGetUpdateDeleteSendTheDocumentedRequests() throws Exception {
        JsonNode created = Direct.call(env.bundle().template(), "task.create",
                "{\"provider\":\"taskapi\",\"assignee\":{\"id\":\"user-2\"},\"status\":\"pending\",\"native\":{\"handler\":\"ExportHandler\"}}");
        assertThat(calls().get(0).method()).isEqualTo("POST");
        assertThat(calls().get(0).path()).isEqualTo("/taskapi/v2/task/create");
        assertThat(body(calls().get(0))).isEqualTo(Json.MAPPER.readTree("{\"handler\":\"ExportHandler\",\"user_id\":\"user-2\",\"status\":\"pending\"}"));
        String id = created.get("task").get("id").asText();

        JsonNode got = Direct.call(env.bundle().template(), "task.get", "{\"provider\":\"taskapi\",\"taskId\":\"" + id + "\"}");
        assertThat(calls().get(1).method()).isEqualTo("GET");
        assertThat(calls().get(1).path()).isEqualTo("/taskapi/v2/task/view/" + id);
        assertThat(got.get("task").get("title").asText()).isEqualTo("ExportHandler");

        JsonNode updated = Direct.call(env.bundle().template(), "task.update", "{\"provider\":\"taskapi\",\"taskId\":\"" + id + "\",\"status\":\"completed\"}");
        assertThat(calls().get(2).method()).isEqualTo("PUT");
        assertThat(calls().get(2).path()).isEqualTo("/taskapi/v2/task/update/" + id);
        assertThat(body(calls().get(2))).isEqualTo(Json.MAPPER.readTree("{\"status\":\"completed\"}"));
        assertThat(updated.get("task").get("status").asText()).isEqualTo("completed");

        JsonNode deleted = Direct.call(env.bundle().template(), "task.delete", "{\"provider\":\"taskapi\",\"taskId\":\"" + id + "\"}");
        assertThat(calls().get(3).method()).isEqualTo("DELETE");
        assertThat(calls().get(3).path()).isEqualTo("/taskapi/v2/task/delete/" + id);
        assertThat(calls().get(3).query()).isEqualTo("force=false");
        assertThat(deleted.get("status").asText()).isEqualTo("ok");
        assertThat(env.sandbox().simulator(TaskApiSimulator.class).exists(id)).isFalse();
    }

    @Test
    void deleteWithoutForceOfATaskWithRelatedEntitiesIsRejectedWithThem() {
        TaskException e = Direct.failure(env.bundle().template(), "task.delete", "{\"provider\":\"taskapi\",\"taskId\":\"task-3\"}");
        assertThat(e.reason()).isEqualTo(ErrorReason.REJECTED);
        assertThat(e.getMessage()).contains("related entities").contains("report-7");
        assertThat(e.details()).hasSize(2);
        assertThat(calls()).hasSize(1);
        assertThat(env.sandbox().simulator(TaskApiSimulator.class).exists("task-3")).isTrue();

        Direct.call(env.bundle().template(), "task.delete", "{\"provider\":\"taskapi\",\"taskId\":\"task-3\",\"force\":true}");
        assertThat(env.sandbox().simulator(TaskApiSimulator.class).exists("task-3")).isFalse();
    }

    @Test
    void documentedErrorsMapToTheirReasonsAfterOneCall() {
        TaskException invalid = Direct.failure(env.bundle().template(), "task.create", "{\"provider\":\"taskapi\",\"status\":\"bogus\"}");
        assertThat(invalid.reason()).isEqualTo(ErrorReason.REJECTED);
        assertThat(invalid.httpStatus()).isEqualTo(422);
        assertThat(invalid.getMessage()).contains("handler: Handler cannot be blank").contains("user_id").contains("status: Status is invalid");
        assertThat(calls()).hasSize(1);

        TaskException missing = Direct.failure(env.bundle().template(), "task.get", "{\"provider\":\"taskapi\",\"taskId\":\"task-999\"}");
        assertThat(missing.reason()).isEqualTo(ErrorReason.REJECTED);
        assertThat(missing.httpStatus()).isEqualTo(404);
        assertThat(missing.getMessage()).contains("Not Found: Task not found.");
        assertThat(calls()).hasSize(2);
    }

    @Test
    void rateLimitIsRetriedAfterTheResetHint() {
        env.sandbox().faults("taskapi").rateLimitNext(1, 1);
        long start = System.nanoTime();
        Direct.call(env.bundle().template(), "task.get", "{\"provider\":\"taskapi\",\"taskId\":\"task-1\"}");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
        assertThat(calls()).hasSize(2);
    }

    @Test
    void overKafkaAResultAndForAMissingTaskADeadLetter() throws Exception {
        TestKafka.produce(env.bundle().topic("task.update"), "task-1".getBytes(), "{\"id\":\"ta-1\",\"provider\":\"taskapi\",\"taskId\":\"task-1\",\"status\":\"running\"}".getBytes(), Map.of());
        TestKafka.produce(env.bundle().topic("task.update"), "task-404".getBytes(), "{\"id\":\"ta-2\",\"provider\":\"taskapi\",\"taskId\":\"task-404\",\"status\":\"running\"}".getBytes(), Map.of());
        Map<String, ConsumerRecord<byte[], byte[]>> results = Records.byCommandId(env.bundle().topic("task.results"), Set.of("ta-1", "ta-2"), Duration.ofSeconds(30));
        assertThat(Json.MAPPER.readTree(results.get("ta-1").value()).get("task").get("status").asText()).isEqualTo("running");
        assertThat(Json.MAPPER.readTree(results.get("ta-2").value()).get("error").get("httpStatus").asInt()).isEqualTo(404);
        ConsumerRecord<byte[], byte[]> dead = Records.readUntil(env.bundle().topic("task.dlq"), rs -> !rs.isEmpty(), Duration.ofSeconds(30)).get(0);
        assertThat(Records.header(dead, "task.command-id")).isEqualTo("ta-2");
        assertThat(Records.header(dead, "task.error.reason")).isEqualTo("rejected");
    }
}
