package io.taskroutes.routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.databind.JsonNode;
import io.taskroutes.command.Json;
import io.taskroutes.errors.ErrorReason;
import io.taskroutes.errors.TaskException;
import io.taskroutes.sandbox.RecordedRequest;
import io.taskroutes.sandbox.TrackerSimulator;
import io.taskroutes.testsupport.Direct;
import io.taskroutes.testsupport.BundleUnderTest;
import io.taskroutes.testsupport.SandboxBundle;

/** Yandex Tracker over direct, against the sandbox: exact requests, pagination, errors, configuration. */
class TrackerRoutesTest {

    private static final String API = "/tracker/v3";

    @RegisterExtension
    static final SandboxBundle env = new SandboxBundle(Map.of("tasks.kafka.enabled", "false"));

    private static TrackerSimulator simulator() {
        return env.sandbox().simulator(TrackerSimulator.class);
    }

    private static RecordedRequest onlyCall() {
        List<RecordedRequest> calls = env.sandbox().requests("yandex-tracker");
        assertThat(calls).hasSize(1);
        return calls.get(0);
    }

    private static void assertOAuthHeaders(RecordedRequest call) {
        assertThat(call.header("Authorization")).isEqualTo("OAuth " + TrackerSimulator.TOKEN);
        assertThat(call.header("X-Org-ID")).isEqualTo(TrackerSimulator.ORG_ID);
        assertThat(call.header("X-Cloud-Org-ID")).isNull();
        assertThat(call.header("Host")).isEqualTo("127.0.0.1:" + env.sandbox().port());
    }

    private static JsonNode call(String operation, String command) {
        return Direct.call(env.bundle().template(), operation, command);
    }

    private static TaskException failure(String operation, String command) {
        return Direct.failure(env.bundle().template(), operation, command);
    }

    @Test
    void theSeedsChecklistDeleteGoesOutExactly() {
        // seed 002: DELETE /v3/entities/project/<id>/checklistItems, Authorization: OAuth <token>, X-Org-ID
        JsonNode result = call("task.checklist.delete", "{\"provider\":\"yandex-tracker\",\"entityType\":\"project\","
                + "\"entityId\":\"" + TrackerSimulator.PROJECT_ID + "\"}");

        RecordedRequest call = onlyCall();
        assertThat(call.method()).isEqualTo("DELETE");
        assertThat(call.path()).isEqualTo(API + "/entities/project/" + TrackerSimulator.PROJECT_ID + "/checklistItems");
        assertThat(call.query()).isNull();
        assertThat(call.body()).isEmpty();
        assertOAuthHeaders(call);

        assertThat(result.get("status").asText()).isEqualTo("ok");
        assertThat(result.get("taskId").asText()).isEqualTo(TrackerSimulator.PROJECT_ID);
        JsonNode task = result.get("task");
        assertThat(task.get("id").asText()).isEqualTo(TrackerSimulator.PROJECT_ID);
        assertThat(task.get("url").asText()).isEqualTo(env.sandbox().baseUrl("yandex-tracker") + "/v3/entities/project/" + TrackerSimulator.PROJECT_ID);
        assertThat(task.get("author").get("display").asText()).isEqualTo("Alice Smith");
        assertThat(task.get("raw").get("version").asInt()).isEqualTo(134);
        assertThat(task.get("raw").get("entityType").asText()).isEqualTo("project");
        assertThat(simulator().entity(TrackerSimulator.PROJECT_ID).get("checklistItems")).isEmpty();
    }

    @Test
    void checklistDeleteSendsNotifyFlagsFieldsAndExpandAndAcceptsShortId() {
        JsonNode result = call("task.checklist.delete", "{\"provider\":\"yandex-tracker\",\"entityType\":\"goal\",\"entityId\":3,"
                + "\"notify\":false,\"notifyAuthor\":true,\"native\":{\"fields\":\"summary,entityStatus\",\"expand\":\"attachments\"}}");
        RecordedRequest call = onlyCall();
        assertThat(call.path()).isEqualTo(API + "/entities/goal/3/checklistItems");
        assertThat(call.query()).isEqualTo("notify=false&notifyAuthor=true&fields=summary%2CentityStatus&expand=attachments");
        assertThat(result.get("task").get("title").asText()).isEqualTo("Grow sign-ups");
        assertThat(result.get("task").get("status").asText()).isEqualTo("in_progress");
    }

    @Test
    void checklistDeleteOfAnIssueIsInvalidWithoutACall() {
        TaskException e = failure("task.checklist.delete", "{\"provider\":\"yandex-tracker\",\"entityType\":\"issue\",\"entityId\":\"TEST-1\"}");
        assertThat(e.reason()).isEqualTo(ErrorReason.INVALID);
        assertThat(e.getMessage()).contains("entityType");
        assertThat(env.sandbox().requests("yandex-tracker")).isEmpty();
    }

    @Test
    void getIsGetIssueByKeyAndNormalizes() {
        JsonNode result = call("task.get", "{\"provider\":\"yandex-tracker\",\"taskId\":\"TEST-3\"}");
        RecordedRequest call = onlyCall();
        assertThat(call.method()).isEqualTo("GET");
        assertThat(call.path()).isEqualTo(API + "/issues/TEST-3");
        assertThat(call.query()).isNull();
        assertOAuthHeaders(call);

        JsonNode task = result.get("task");
        assertThat(task.get("id").asText()).isEqualTo("TEST-3");
        assertThat(task.get("title").asText()).isEqualTo("Build packages");
        assertThat(task.get("status").asText()).isEqualTo("inProgress");
        assertThat(task.get("parentId").asText()).isEqualTo("TEST-1");
        assertThat(task.get("assignee").get("display").asText()).isEqualTo("Bob Jones");
        assertThat(task.get("url").asText()).isEqualTo(env.sandbox().baseUrl("yandex-tracker") + "/v3/issues/TEST-3");
        assertThat(task.get("raw").get("id").asText()).isNotBlank();

        assertThat(call("task.get", "{\"provider\":\"yandex-tracker\",\"taskId\":\"TEST-2\"}").get("task").get("status").asText())
                .isEqualTo("closed");
        assertThat(call("task.get", "{\"provider\":\"yandex-tracker\",\"taskId\":\"TEST-5\"}").get("task").get("status").asText())
                .isEqualTo("closed");
    }

    @Test
    void createIsPostIssuesWithTheExactBody() throws Exception {
        JsonNode result = call("task.create", "{\"id\":\"c-ship-2\",\"provider\":\"yandex-tracker\",\"project\":\"TEST\",\"title\":\"Ship it\","
                + "\"text\":\"Today\",\"assignee\":{\"email\":\"bob@env.sandbox().local\"},\"dueDate\":\"2024-06-30\","
                + "\"parentTaskId\":\"TEST-1\",\"native\":{\"priority\":\"critical\"}}");
        RecordedRequest call = onlyCall();
        assertThat(call.method()).isEqualTo("POST");
        assertThat(call.path()).isEqualTo(API + "/issues/");
        assertThat(call.query()).isNull();
        assertThat(call.header("Content-Type")).startsWith("application/json");
        assertOAuthHeaders(call);
        assertThat(Json.MAPPER.readTree(call.bodyString())).isEqualTo(Json.MAPPER.readTree("{\"queue\":\"TEST\",\"summary\":\"Ship it\","
                + "\"description\":\"Today\",\"parent\":\"TEST-1\",\"assignee\":\"bob@env.sandbox().local\",\"deadline\":\"2024-06-30\","
                + "\"unique\":\"c-ship-2\",\"priority\":\"critical\"}"));

        JsonNode task = result.get("task");
        assertThat(task.get("id").asText()).isEqualTo("TEST-6");
        assertThat(result.get("taskId").asText()).isEqualTo("TEST-6");
        assertThat(task.get("status").asText()).isEqualTo("open");
        assertThat(task.get("dueDate").asText()).isEqualTo("2024-06-30");
        assertThat(task.get("parentId").asText()).isEqualTo("TEST-1");
        assertThat(task.get("assignee").get("display").asText()).isEqualTo("Bob Jones");
        assertThat(simulator().issue("TEST-6").get("priority").asText()).isEqualTo("critical");
    }

    @Test
    void updateIsPatchWithDeadline() {
        JsonNode result = call("task.update", "{\"provider\":\"yandex-tracker\",\"taskId\":\"TEST-4\",\"title\":\"Write the docs\","
                + "\"assignee\":{\"id\":\"alice\"},\"dueDate\":\"2024-07-01\"}");
        RecordedRequest call = onlyCall();
        assertThat(call.method()).isEqualTo("PATCH");
        assertThat(call.path()).isEqualTo(API + "/issues/TEST-4");
        assertThat(call.bodyString()).isEqualTo("{\"summary\":\"Write the docs\",\"assignee\":\"alice\",\"deadline\":\"2024-07-01\"}");
        assertOAuthHeaders(call);
        assertThat(result.get("task").get("title").asText()).isEqualTo("Write the docs");
        assertThat(result.get("task").get("dueDate").asText()).isEqualTo("2024-07-01");
        assertThat(simulator().issue("TEST-4").get("version").asInt()).isEqualTo(2);
    }

    @Test
    void commentIsPostComments() {
        JsonNode result = call("task.comment", "{\"provider\":\"yandex-tracker\",\"taskId\":\"TEST-1\",\"text\":\"Draft is ready\"}");
        RecordedRequest call = onlyCall();
        assertThat(call.method()).isEqualTo("POST");
        assertThat(call.path()).isEqualTo(API + "/issues/TEST-1/comments");
        assertThat(call.bodyString()).isEqualTo("{\"text\":\"Draft is ready\"}");
        assertOAuthHeaders(call);
        assertThat(result.get("taskId").asText()).isEqualTo("TEST-1");
        assertThat(result.get("raw").get("text").asText()).isEqualTo("Draft is ready");
        assertThat(simulator().comments("TEST-1")).extracting(c -> c.get("text").asText()).containsExactly("Draft is ready");
    }

    @Test
    void listIsSearchWithPagingInTheQuery() {
        JsonNode result = call("task.list", "{\"provider\":\"yandex-tracker\",\"filter\":{\"queue\":\"TEST\"},\"page\":2,\"perPage\":2}");
        RecordedRequest call = onlyCall();
        assertThat(call.method()).isEqualTo("POST");
        assertThat(call.path()).isEqualTo(API + "/issues/_search");
        assertThat(call.query()).isEqualTo("page=2&perPage=2");
        assertThat(call.bodyString()).isEqualTo("{\"filter\":{\"queue\":\"TEST\"}}");
        assertOAuthHeaders(call);
        assertThat(result.get("tasks")).extracting(t -> t.get("id").asText()).containsExactly("TEST-3", "TEST-4");
        assertThat(result.get("page").get("totalCount").asInt()).isEqualTo(5);
        assertThat(result.get("page").get("totalPages").asInt()).isEqualTo(3);
    }

    @Test
    void allPagesWalksThreeSearchPages() {
        JsonNode result = call("task.list", "{\"provider\":\"yandex-tracker\",\"native\":{\"query\":\"Queue: TEST\"},"
                + "\"perPage\":2,\"allPages\":true}");
        List<RecordedRequest> calls = env.sandbox().requests("yandex-tracker");
        assertThat(calls).extracting(RecordedRequest::query).containsExactly("perPage=2", "page=2&perPage=2", "page=3&perPage=2");
        assertThat(calls).allSatisfy(c -> {
            assertThat(c.path()).isEqualTo(API + "/issues/_search");
            assertThat(c.bodyString()).isEqualTo("{\"query\":\"Queue: TEST\"}");
            assertOAuthHeaders(c);
        });
        assertThat(result.get("tasks")).extracting(t -> t.get("id").asText())
                .containsExactly("TEST-1", "TEST-2", "TEST-3", "TEST-4", "TEST-5");
        assertThat(result.get("page").get("pagesFetched").asInt()).isEqualTo(3);
        assertThat(result.get("page").get("totalPages").asInt()).isEqualTo(3);
    }

    @ParameterizedTest(name = "HTTP {0} on {1}")
    @CsvSource(delimiter = '|', value = {
        "400 | task.list   | {\"provider\":\"yandex-tracker\",\"filter\":{\"queue\":\"TEST\"},\"native\":{\"query\":\"x\"}} | Use either filter or query",
        "404 | task.get    | {\"provider\":\"yandex-tracker\",\"taskId\":\"TEST-99\"}                                       | Issue does not exist",
        "404 | task.checklist.delete | {\"provider\":\"yandex-tracker\",\"entityType\":\"portfolio\",\"entityId\":\"nope\"}   | not found",
        "409 | task.update | {\"provider\":\"yandex-tracker\",\"taskId\":\"TEST-1\",\"title\":\"x\",\"native\":{\"version\":5}} | Version conflict",
        "422 | task.create | {\"provider\":\"yandex-tracker\",\"project\":\"TEST\",\"title\":\"t\",\"assignee\":{\"id\":\"nobody\"}} | assignee: User nobody does not exist",
        "422 | task.update | {\"provider\":\"yandex-tracker\",\"taskId\":\"TEST-1\",\"native\":{\"status\":\"closed\"}}     | status: Field is read-only here: use a transition"})
    void documentedErrorsAreRejectedAfterExactlyOneCall(int status, String operation, String command, String message) {
        TaskException e = failure(operation, command);
        assertThat(e.reason()).isEqualTo(ErrorReason.REJECTED);
        assertThat(e.httpStatus()).isEqualTo(status);
        assertThat(e.provider()).isEqualTo("yandex-tracker");
        assertThat(e.operation()).isEqualTo(operation);
        assertThat(e.getMessage()).contains("HTTP " + status).contains(message).doesNotContain(TrackerSimulator.TOKEN);
        assertThat(env.sandbox().requests("yandex-tracker")).hasSize(1);
    }

    @Test
    void aStaleVersionGoesOutAsTheVersionQueryParameter() {
        failure("task.update", "{\"provider\":\"yandex-tracker\",\"taskId\":\"TEST-1\",\"title\":\"x\",\"native\":{\"version\":5}}");
        assertThat(onlyCall().query()).isEqualTo("version=5");
        assertThat(onlyCall().bodyString()).isEqualTo("{\"summary\":\"x\"}");
    }

    @Test
    void theVersionLimitIs423RejectedNamingTheLimits() {
        simulator().versionLimit(1);
        TaskException e = failure("task.update", "{\"provider\":\"yandex-tracker\",\"taskId\":\"TEST-1\",\"title\":\"x\"}");
        assertThat(e.reason()).isEqualTo(ErrorReason.REJECTED);
        assertThat(e.httpStatus()).isEqualTo(423);
        assertThat(e.getMessage()).contains("version limit").contains("10100").contains("11100").contains("maximum version 1");
        assertThat(env.sandbox().requests("yandex-tracker")).hasSize(1);

        TaskException checklist = failure("task.checklist.delete", "{\"provider\":\"yandex-tracker\",\"entityType\":\"project\","
                + "\"entityId\":\"" + TrackerSimulator.PROJECT_ID + "\"}");
        assertThat(checklist.httpStatus()).isEqualTo(423);
        assertThat(simulator().entity(TrackerSimulator.PROJECT_ID).get("checklistItems")).hasSize(2);
    }

    @Test
    void aRateLimitIsWaitedOutWithRetryAfterThenSucceeds() {
        env.sandbox().faults("yandex-tracker").rateLimitNext(1, 1);
        long started = System.nanoTime();
        JsonNode result = call("task.get", "{\"provider\":\"yandex-tracker\",\"taskId\":\"TEST-1\"}");
        long waitedMs = (System.nanoTime() - started) / 1_000_000;
        assertThat(result.get("task").get("id").asText()).isEqualTo("TEST-1");
        assertThat(env.sandbox().requests("yandex-tracker")).hasSize(2);
        assertThat(waitedMs).as("Retry-After: 1 honoured over the 20 ms test backoff").isGreaterThanOrEqualTo(900);
    }

    @Test
    void serverErrorsAreRetriedAndFinallyUnavailable() {
        env.sandbox().faults("yandex-tracker").failNext(1, 503);
        assertThat(call("task.get", "{\"provider\":\"yandex-tracker\",\"taskId\":\"TEST-1\"}").get("task").get("id").asText())
                .isEqualTo("TEST-1");
        assertThat(env.sandbox().requests("yandex-tracker")).hasSize(2);

        env.sandbox().reset();
        env.sandbox().faults("yandex-tracker").failAlways(500);
        TaskException e = failure("task.get", "{\"provider\":\"yandex-tracker\",\"taskId\":\"TEST-1\"}");
        assertThat(e.reason()).isEqualTo(ErrorReason.UNAVAILABLE);
        assertThat(e.httpStatus()).isEqualTo(500);
        assertThat(e.getMessage()).contains("Injected fault: HTTP 500");
        assertThat(env.sandbox().requests("yandex-tracker")).hasSize(5);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "wrong token    | tasks.yandex-tracker.token   | not-the-token | 401",
        "wrong org      | tasks.yandex-tracker.org-id  | 1111111       | 403"})
    void refusedCredentialsAreUnauthorizedAfterOneCall(String name, String key, String value, int status) {
        try (BundleUnderTest wrong = BundleUnderTest.start(env.sandbox(), Map.of("tasks.kafka.enabled", "false", key, value))) {
            TaskException e = Direct.failure(wrong.template(), "task.get", "{\"provider\":\"yandex-tracker\",\"taskId\":\"TEST-1\"}");
            assertThat(e.reason()).isEqualTo(ErrorReason.UNAUTHORIZED);
            assertThat(e.httpStatus()).isEqualTo(status);
            assertThat(e.getMessage()).doesNotContain("not-the-token");
            assertThat(env.sandbox().requests("yandex-tracker")).hasSize(1);
        }
    }

    @Test
    void anIamTokenGoesAsBearerWithTheCloudOrganization() {
        try (BundleUnderTest iam = BundleUnderTest.start(env.sandbox(), Map.of("tasks.kafka.enabled", "false",
                "tasks.yandex-tracker.token", TrackerSimulator.IAM_TOKEN, "tasks.yandex-tracker.token-type", "Bearer",
                "tasks.yandex-tracker.org-id", "", "tasks.yandex-tracker.cloud-org-id", TrackerSimulator.CLOUD_ORG_ID))) {
            JsonNode result = Direct.call(iam.template(), "task.get", "{\"provider\":\"yandex-tracker\",\"taskId\":\"TEST-1\"}");
            RecordedRequest call = onlyCall();
            assertThat(call.header("Authorization")).isEqualTo("Bearer " + TrackerSimulator.IAM_TOKEN);
            assertThat(call.header("X-Cloud-Org-ID")).isEqualTo(TrackerSimulator.CLOUD_ORG_ID);
            assertThat(call.header("X-Org-ID")).isNull();
            assertThat(result.get("task").get("id").asText()).isEqualTo("TEST-1");
        }
    }

    @Test
    void bothOrNoOrganizationIsNotConfiguredNamingTheKeys() {
        try (BundleUnderTest both = BundleUnderTest.start(env.sandbox(), Map.of("tasks.kafka.enabled", "false",
                "tasks.yandex-tracker.cloud-org-id", TrackerSimulator.CLOUD_ORG_ID));
             BundleUnderTest none = BundleUnderTest.start(env.sandbox(), Map.of("tasks.kafka.enabled", "false",
                "tasks.yandex-tracker.org-id", ""))) {
            for (BundleUnderTest b : List.of(both, none)) {
                TaskException e = Direct.failure(b.template(), "task.get", "{\"provider\":\"yandex-tracker\",\"taskId\":\"TEST-1\"}");
                assertThat(e.reason()).isEqualTo(ErrorReason.INVALID);
                assertThat(e.getMessage()).contains("yandex-tracker is not configured")
                        .contains("tasks.yandex-tracker.org-id").contains("tasks.yandex-tracker.cloud-org-id");
            }
            assertThat(env.sandbox().requests("yandex-tracker")).isEmpty();
        }
    }

    @Test
    void deleteIsUnsupportedWithoutACall() {
        TaskException e = failure("task.delete", "{\"provider\":\"yandex-tracker\",\"taskId\":\"TEST-1\"}");
        assertThat(e.reason()).isEqualTo(ErrorReason.UNSUPPORTED);
        assertThat(env.sandbox().requests("yandex-tracker")).isEmpty();
    }
}
