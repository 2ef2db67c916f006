package io.taskroutes.routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.databind.JsonNode;
import io.taskroutes.errors.ErrorReason;
import io.taskroutes.errors.TaskException;
import io.taskroutes.sandbox.ProviderSandbox;
import io.taskroutes.sandbox.RecordedRequest;
import io.taskroutes.sandbox.WorksectionSimulator;
import io.taskroutes.testsupport.BundleUnderTest;
import io.taskroutes.testsupport.Direct;

/** Worksection over direct, against the sandbox: md5-signed and OAuth requests, HTTP-200 errors, nested tasks. */
class WorksectionRoutesTest {

    private static final String ADMIN = "/worksection/api/admin/v2/";

    static ProviderSandbox sandbox;
    static BundleUnderTest bundle;
    static BundleUnderTest oauth;

    @BeforeAll
    static void start() {
        sandbox = ProviderSandbox.start();
        bundle = BundleUnderTest.start(sandbox, Map.of("tasks.kafka.enabled", "false"));
        oauth = BundleUnderTest.start(sandbox, Map.of("tasks.kafka.enabled", "false",
                "tasks.worksection.token", WorksectionSimulator.TOKEN));
    }

    @AfterAll
    static void stop() {
        oauth.close();
        bundle.close();
        sandbox.close();
    }

    @BeforeEach
    void reset() {
        sandbox.reset();
    }

    private static WorksectionSimulator simulator() {
        return sandbox.simulator(WorksectionSimulator.class);
    }

    private static RecordedRequest onlyCall() {
        List<RecordedRequest> calls = sandbox.requests("worksection");
        assertThat(calls).hasSize(1);
        return calls.get(0);
    }

    /** The query without its trailing {@code &hash=...} (the hash itself is checked by the simulator). */
    private static String unsigned(RecordedRequest call) {
        assertThat(call.query()).matches(".*&hash=[0-9a-f]{32}");
        return call.query().substring(0, call.query().lastIndexOf("&hash="));
    }

    private static JsonNode call(String operation, String command) {
        return Direct.call(bundle.template(), operation, command);
    }

    private static TaskException failure(String operation, String command) {
        return Direct.failure(bundle.template(), operation, command);
    }

    @Test
    void allTasksWithExtraAndFilterGoOutWithTheExactQueryAndHash() {
        JsonNode result = call("task.list", "{\"provider\":\"worksection\",\"include\":[\"text\",\"files\",\"comments\","
                + "\"relations\",\"subtasks\",\"archive\"],\"filter\":{\"status\":\"active\"}}");

        RecordedRequest call = onlyCall();
        assertThat(call.method()).isEqualTo("GET");
        assertThat(call.path()).isEqualTo(ADMIN);
        // md5("action=get_all_tasks&extra=text%2Cfiles%2Ccomments%2Crelations%2Csubtasks%2Carchive&filter=active"
        //     + "sandbox-worksection-api-key"), computed with md5sum
        assertThat(call.query()).isEqualTo("action=get_all_tasks&extra=text%2Cfiles%2Ccomments%2Crelations%2Csubtasks%2Carchive"
                + "&filter=active&hash=c7d3d1e2a4b05de7344b5d065e8f8be8");
        assertThat(call.header("Authorization")).isNull();
        assertThat(call.toString()).doesNotContain(WorksectionSimulator.API_KEY);

        assertThat(result.get("status").asText()).isEqualTo("ok");
        assertThat(result.get("tasks")).extracting(t -> t.get("id").asText()).containsExactly("1004", "1005", "1006", "2001");
        JsonNode docs = result.get("tasks").get(1);
        assertThat(docs.get("status").asText()).isEqualTo("open");
        assertThat(docs.get("text").asText()).isEqualTo("User guide");
        assertThat(docs.get("raw").get("child").get(0).get("id").asText()).isEqualTo("1006");
        assertThat(docs.get("raw").get("tags").get("12").asText()).isEqualTo("Urgent");
        assertThat(result.get("tasks").get(2).get("parentId").asText()).isEqualTo("1005");
        assertThat(result.get("tasks").get(0).has("assignee")).as("NOONE is nobody").isFalse();
        assertThat(result.get("tasks").get(0).get("url").asText()).isEqualTo(sandbox.baseUrl("worksection") + "/project/100/1004/");
    }

    @Test
    void theSeedSampleComesBackNestedAndIsNormalizedFlat() {
        JsonNode result = call("task.list", "{\"provider\":\"worksection\",\"include\":[\"text\",\"files\",\"relations\",\"subtasks\"]}");
        assertThat(result.get("tasks")).extracting(t -> t.get("id").asText())
                .containsExactly("1001", "1002", "1003", "1004", "1005", "1006", "2001");
        JsonNode release = result.get("tasks").get(0);
        assertThat(release.get("status").asText()).isEqualTo("closed");
        assertThat(release.get("createdAt").asText()).isEqualTo("2021-05-20T10:15");
        assertThat(release.get("assignee").get("email").asText()).isEqualTo("bob@sandbox.local");
        assertThat(release.get("raw").get("relations").get("to").get(0).get("task").get("id").asText()).isEqualTo("1004");
        assertThat(release.get("raw").get("files").get(0).get("page").asText()).isEqualTo("/download/501");
        assertThat(result.get("tasks").get(2).get("parentId").asText()).isEqualTo("1002");
        assertThat(result.get("tasks").get(2).has("assignee")).isFalse();

        JsonNode plain = call("task.list", "{\"provider\":\"worksection\"}");
        assertThat(plain.get("tasks")).extracting(t -> t.get("id").asText()).containsExactly("1001", "1004", "1005", "2001");
        assertThat(plain.get("tasks").get(0).has("text")).isFalse();
    }

    @Test
    void listOfOneProjectIsGetTasks() {
        JsonNode result = call("task.list", "{\"provider\":\"worksection\",\"project\":\"200\"}");
        assertThat(unsigned(onlyCall())).isEqualTo("action=get_tasks&id_project=200");
        assertThat(result.get("tasks")).extracting(t -> t.get("id").asText()).containsExactly("2001");
    }

    @Test
    void getSendsIdTaskAndExtra() {
        JsonNode result = call("task.get", "{\"provider\":\"worksection\",\"taskId\":\"1002\",\"include\":[\"subtasks\"]}");
        assertThat(unsigned(onlyCall())).isEqualTo("action=get_task&id_task=1002&extra=subtasks");
        assertThat(result.get("task").get("title").asText()).isEqualTo("Build packages");
        assertThat(result.get("task").get("parentId").asText()).isEqualTo("1001");
        assertThat(result.get("task").get("raw").get("child").get(0).get("id").asText()).isEqualTo("1003");
    }

    @Test
    void createIsPostTaskWithTheExactParameters() {
        JsonNode result = call("task.create", "{\"provider\":\"worksection\",\"project\":\"100\",\"title\":\"Ship it\","
                + "\"text\":\"Today\",\"assignee\":{\"email\":\"bob@sandbox.local\"},\"dueDate\":\"2024-06-30\","
                + "\"native\":{\"priority\":7,\"todo\":[\"one\",\"two\"],\"tags\":\"Release,Docs\"}}");
        RecordedRequest call = onlyCall();
        assertThat(call.method()).isEqualTo("GET");
        assertThat(call.path()).isEqualTo(ADMIN);
        assertThat(unsigned(call)).isEqualTo("action=post_task&id_project=100&title=Ship%20it&text=Today"
                + "&email_user_to=bob%40sandbox.local&dateend=30.06.2024&priority=7&todo%5B%5D=one&todo%5B%5D=two"
                + "&tags=Release%2CDocs");

        JsonNode task = result.get("task");
        String id = task.get("id").asText();
        assertThat(result.get("taskId").asText()).isEqualTo(id);
        assertThat(task.get("title").asText()).isEqualTo("Ship it");
        assertThat(task.get("status").asText()).isEqualTo("open");
        assertThat(task.get("dueDate").asText()).isEqualTo("2024-06-30");
        assertThat(task.get("assignee").get("email").asText()).isEqualTo("bob@sandbox.local");
        assertThat(simulator().task(id).get("tags").size()).isEqualTo(2);
        assertThat(simulator().task(id).get("todo")).hasSize(2);
    }

    @Test
    void createWithoutProjectIsInvalidWithoutACall() {
        TaskException e = failure("task.create", "{\"provider\":\"worksection\",\"title\":\"x\"}");
        assertThat(e.reason()).isEqualTo(ErrorReason.INVALID);
        assertThat(e.getMessage()).contains("project is required");
        assertThat(sandbox.requests("worksection")).isEmpty();
    }

    @Test
    void updateOfFieldsIsUpdateTask() {
        JsonNode result = call("task.update", "{\"provider\":\"worksection\",\"taskId\":\"1004\",\"title\":\"Announce it\","
                + "\"assignee\":{\"email\":\"alice@sandbox.local\"},\"dueDate\":\"2024-07-01\"}");
        assertThat(unsigned(onlyCall())).isEqualTo("action=update_task&id_task=1004&title=Announce%20it"
                + "&email_user_to=alice%40sandbox.local&dateend=01.07.2024");
        assertThat(result.get("task").get("title").asText()).isEqualTo("Announce it");
        assertThat(simulator().task("1004").get("date_end").asText()).isEqualTo("2024-07-01");
    }

    @Test
    void statusClosedIsCompleteTaskAndOpenIsReopenTask() {
        JsonNode closed = call("task.update", "{\"provider\":\"worksection\",\"taskId\":\"1004\",\"status\":\"closed\"}");
        assertThat(unsigned(onlyCall())).isEqualTo("action=complete_task&id_task=1004");
        assertThat(closed.get("status").asText()).isEqualTo("ok");
        assertThat(closed.get("taskId").asText()).isEqualTo("1004");
        assertThat(simulator().task("1004").get("status").asText()).isEqualTo("done");

        sandbox.reset();
        call("task.update", "{\"provider\":\"worksection\",\"taskId\":\"1001\",\"status\":\"open\"}");
        assertThat(unsigned(onlyCall())).isEqualTo("action=reopen_task&id_task=1001");
        assertThat(simulator().task("1001").get("status").asText()).isEqualTo("active");
    }

    @Test
    void commentIsPostComment() {
        JsonNode result = call("task.comment", "{\"provider\":\"worksection\",\"taskId\":\"1004\",\"text\":\"Draft is ready\"}");
        assertThat(unsigned(onlyCall())).isEqualTo("action=post_comment&id_task=1004&text=Draft%20is%20ready");
        assertThat(result.get("status").asText()).isEqualTo("ok");
        assertThat(result.get("taskId").asText()).isEqualTo("1004");
        assertThat(simulator().comments("1004")).extracting(c -> c.get("text").asText()).containsExactly("Draft is ready");
    }

    @ParameterizedTest(name = "code {0}")
    @CsvSource(delimiter = '|', value = {
        "4  | task.list   | {\"provider\":\"worksection\",\"project\":\"999\"}                                        | Project is invalid",
        "5  | task.get    | {\"provider\":\"worksection\",\"taskId\":\"9999\"}                                        | Task is invalid",
        "8  | task.update | {\"provider\":\"worksection\",\"taskId\":\"1001\",\"title\":\"x\"}                       | Task is closed",
        "10 | task.create | {\"provider\":\"worksection\",\"project\":\"100\",\"text\":\"no title\"}                  | Field is required (title)",
        "11 | task.create | {\"provider\":\"worksection\",\"project\":\"100\",\"title\":\"t\",\"assignee\":{\"email\":\"who@else\"}} | Email is invalid",
        "12 | task.update | {\"provider\":\"worksection\",\"taskId\":\"1001\",\"status\":\"closed\"}                   | Task is already closed",
        "13 | task.update | {\"provider\":\"worksection\",\"taskId\":\"1005\",\"status\":\"closed\"}                   | Task has open subtasks",
        "14 | task.update | {\"provider\":\"worksection\",\"taskId\":\"1002\",\"status\":\"open\"}                     | Parent task is closed",
        "16 | task.create | {\"provider\":\"worksection\",\"project\":\"100\",\"title\":\"t\",\"native\":{\"tags\":\"Nope\"}} | Tag is invalid"})
    void documentedErrorsAreRejectedAfterExactlyOneCall(int code, String operation, String command, String message) {
        TaskException e = failure(operation, command);
        assertThat(e.reason()).isEqualTo(ErrorReason.REJECTED);
        assertThat(e.httpStatus()).isEqualTo(200);
        assertThat(e.provider()).isEqualTo("worksection");
        assertThat(e.operation()).isEqualTo(operation);
        assertThat(e.getMessage()).contains("error " + code + ": " + message);
        assertThat(sandbox.requests("worksection")).hasSize(1);
    }

    @Test
    void aWrongApiKeyGivesCode2WhichIsUnauthorizedAfterOneCall() {
        try (BundleUnderTest wrong = BundleUnderTest.start(sandbox, Map.of("tasks.kafka.enabled", "false",
                "tasks.worksection.api-key", "not-the-key"))) {
            TaskException e = Direct.failure(wrong.template(), "task.get", "{\"provider\":\"worksection\",\"taskId\":\"1001\"}");
            assertThat(e.reason()).isEqualTo(ErrorReason.UNAUTHORIZED);
            assertThat(e.getMessage()).contains("error 2").doesNotContain("not-the-key");
            assertThat(sandbox.requests("worksection")).hasSize(1);
            assertThat(sandbox.requests("worksection").get(0).query()).doesNotContain("not-the-key");
        }
    }

    @Test
    void oauthModeCallsTheOauthEndpointWithTheBearerTokenAndNoHash() {
        JsonNode result = Direct.call(oauth.template(), "task.get", "{\"provider\":\"worksection\",\"taskId\":\"1004\"}");
        RecordedRequest call = onlyCall();
        assertThat(call.method()).isEqualTo("GET");
        assertThat(call.path()).isEqualTo("/worksection/api/oauth2");
        assertThat(call.query()).isEqualTo("action=get_task&id_task=1004");
        assertThat(call.header("Authorization")).isEqualTo("Bearer " + WorksectionSimulator.TOKEN);
        assertThat(result.get("task").get("id").asText()).isEqualTo("1004");
    }

    @Test
    void aRefusedOauthTokenIsUnauthorizedAfterOneCall() {
        try (BundleUnderTest wrong = BundleUnderTest.start(sandbox, Map.of("tasks.kafka.enabled", "false",
                "tasks.worksection.token", "expired-token"))) {
            TaskException e = Direct.failure(wrong.template(), "task.get", "{\"provider\":\"worksection\",\"taskId\":\"1004\"}");
            assertThat(e.reason()).isEqualTo(ErrorReason.UNAUTHORIZED);
            assertThat(e.httpStatus()).isEqualTo(401);
            assertThat(e.getMessage()).doesNotContain("expired-token");
            assertThat(sandbox.requests("worksection")).hasSize(1);
        }
    }

    @Test
    void serverErrorsAreRetriedAsUnavailable() {
        sandbox.faults("worksection").failNext(1, 503);
        JsonNode result = call("task.get", "{\"provider\":\"worksection\",\"taskId\":\"1004\"}");
        assertThat(result.get("task").get("id").asText()).isEqualTo("1004");
        assertThat(sandbox.requests("worksection")).hasSize(2);
    }

    @Test
    void deleteIsUnsupportedWithTheReasonAndWithoutACall() {
        TaskException e = failure("task.delete", "{\"provider\":\"worksection\",\"taskId\":\"1004\"}");
        assertThat(e.reason()).isEqualTo(ErrorReason.UNSUPPORTED);
        assertThat(e.getMessage()).contains("deliberately cannot delete");
        TaskException checklist = failure("task.checklist.delete", "{\"provider\":\"worksection\",\"entityType\":\"project\",\"entityId\":\"1\"}");
        assertThat(checklist.reason()).isEqualTo(ErrorReason.UNSUPPORTED);
        assertThat(sandbox.requests("worksection")).isEmpty();
    }
}
