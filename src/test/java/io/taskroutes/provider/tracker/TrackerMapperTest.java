package io.taskroutes.provider.tracker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import io.taskroutes.command.Json;
import io.taskroutes.command.Operation;
import io.taskroutes.errors.ErrorReason;
import io.taskroutes.errors.TaskException;
import io.taskroutes.provider.HttpRequestSpec;
import io.taskroutes.testsupport.Fixtures;

/** Canonical commands to Tracker v3 requests (seed 002, PROVIDERS.md). */
class TrackerMapperTest {

    private static HttpRequestSpec request(Operation operation, String command) {
        return TrackerMapper.request(Fixtures.command(command, operation));
    }

    private static String body(HttpRequestSpec request) {
        return new String((byte[]) request.body(), StandardCharsets.UTF_8);
    }

    private static TaskException invalid(Operation operation, String command) {
        TaskException e = catchThrowableOfType(TaskException.class, () -> request(operation, command));
        assertThat(e).isNotNull();
        assertThat(e.reason()).isEqualTo(ErrorReason.INVALID);
        return e;
    }

    @Test
    void checklistDeleteIsTheSeedsDeleteWithoutQueryByDefault() {
        HttpRequestSpec r = request(Operation.CHECKLIST_DELETE,
                "{\"provider\":\"yandex-tracker\",\"entityType\":\"project\",\"entityId\":\"6586d6fee2b9ef74a1b2c3d4\"}");
        assertThat(r.method()).isEqualTo("DELETE");
        assertThat(r.pathAndQuery()).isEqualTo("/v3/entities/project/6586d6fee2b9ef74a1b2c3d4/checklistItems");
        assertThat(r.body()).isNull();
    }

    @Test
    void checklistDeleteFlagsAndNativeFieldsAndExpandAreQueryParameters() {
        HttpRequestSpec r = request(Operation.CHECKLIST_DELETE, "{\"provider\":\"yandex-tracker\",\"entityType\":\"goal\","
                + "\"entityId\":7,\"notify\":false,\"notifyAuthor\":true,\"native\":{\"fields\":\"summary,entityStatus\","
                + "\"expand\":\"attachments\"}}");
        assertThat(r.pathAndQuery()).isEqualTo("/v3/entities/goal/7/checklistItems"
                + "?notify=false&notifyAuthor=true&fields=summary%2CentityStatus&expand=attachments");
    }

    @Test
    void checklistDeleteOfAnotherEntityTypeIsInvalidNamingIt() {
        TaskException e = invalid(Operation.CHECKLIST_DELETE,
                "{\"provider\":\"yandex-tracker\",\"entityType\":\"issue\",\"entityId\":\"TEST-1\"}");
        assertThat(e.getMessage()).contains("entityType").contains("'issue'");
    }

    @Test
    void commandValuesInThePathArePercentEncoded() {
        HttpRequestSpec r = request(Operation.GET, "{\"provider\":\"yandex-tracker\",\"taskId\":\"../x/TEST-1?a=b\"}");
        assertThat(r.path()).isEqualTo("/v3/issues/..%2Fx%2FTEST-1%3Fa%3Db");
        HttpRequestSpec entity = request(Operation.CHECKLIST_DELETE,
                "{\"provider\":\"yandex-tracker\",\"entityType\":\"project\",\"entityId\":\"..\"}");
        assertThat(entity.path()).isEqualTo("/v3/entities/project/%2E%2E/checklistItems");
    }

    @Test
    void createMapsTheCanonicalFieldsAndNativeWins() throws Exception {
        HttpRequestSpec r = TrackerMapper.request(Fixtures.command(Fixtures.text("yandex-tracker/create.command.json"), Operation.CREATE));
        assertThat(r.method()).isEqualTo("POST");
        assertThat(r.pathAndQuery()).isEqualTo("/v3/issues/");
        assertThat(Json.MAPPER.readTree(body(r))).isEqualTo(Fixtures.json("yandex-tracker/create.request.json"));

        HttpRequestSpec nativeQueue = request(Operation.CREATE, "{\"provider\":\"yandex-tracker\",\"project\":\"A\","
                + "\"title\":\"t\",\"assignee\":{\"email\":\"bob@example.org\"},\"native\":{\"queue\":\"B\"}}");
        // the command id (here the parser's fallback) is the unique: a repeated create is answered 409
        assertThat(body(nativeQueue)).isEqualTo("{\"queue\":\"B\",\"summary\":\"t\",\"assignee\":\"bob@example.org\",\"unique\":\"test-id\"}");
    }

    @Test
    void createWithoutQueueOrSummaryIsInvalid() {
        assertThat(invalid(Operation.CREATE, "{\"provider\":\"yandex-tracker\",\"title\":\"t\"}").getMessage()).contains("queue");
        assertThat(invalid(Operation.CREATE, "{\"provider\":\"yandex-tracker\",\"project\":\"TEST\"}").getMessage()).contains("summary");
    }

    @Test
    void updateIsAPatchWithDeadlineAndStatusOnlyThroughNative() {
        HttpRequestSpec r = request(Operation.UPDATE, "{\"provider\":\"yandex-tracker\",\"taskId\":\"TEST-1\",\"title\":\"New\","
                + "\"text\":\"Body\",\"assignee\":{\"id\":1120000000000002},\"dueDate\":\"2024-07-01\"}");
        assertThat(r.method()).isEqualTo("PATCH");
        assertThat(r.pathAndQuery()).isEqualTo("/v3/issues/TEST-1");
        assertThat(body(r)).isEqualTo("{\"summary\":\"New\",\"description\":\"Body\",\"assignee\":1120000000000002,\"deadline\":\"2024-07-01\"}");

        assertThat(invalid(Operation.UPDATE, "{\"provider\":\"yandex-tracker\",\"taskId\":\"TEST-1\",\"status\":\"closed\"}")
                .getMessage()).contains("transition");
        HttpRequestSpec nativeStatus = request(Operation.UPDATE,
                "{\"provider\":\"yandex-tracker\",\"taskId\":\"TEST-1\",\"native\":{\"resolution\":\"fixed\"}}");
        assertThat(body(nativeStatus)).isEqualTo("{\"resolution\":\"fixed\"}");
        invalid(Operation.UPDATE, "{\"provider\":\"yandex-tracker\",\"taskId\":\"TEST-1\"}");
    }

    @Test
    void commentIsTextOnly() {
        HttpRequestSpec r = request(Operation.COMMENT, "{\"provider\":\"yandex-tracker\",\"taskId\":\"TEST-1\",\"text\":\"Hi\"}");
        assertThat(r.pathAndQuery()).isEqualTo("/v3/issues/TEST-1/comments");
        assertThat(body(r)).isEqualTo("{\"text\":\"Hi\"}");
        invalid(Operation.COMMENT, "{\"provider\":\"yandex-tracker\",\"taskId\":\"TEST-1\",\"text\":\"x\",\"action\":\"close\"}");
        invalid(Operation.COMMENT, "{\"provider\":\"yandex-tracker\",\"taskId\":\"TEST-1\"}");
    }

    @Test
    void searchPutsPagingInTheQueryAndFilterInTheBody() {
        HttpRequestSpec r = request(Operation.LIST, "{\"provider\":\"yandex-tracker\",\"project\":\"TEST\",\"page\":2,\"perPage\":10,"
                + "\"filter\":{\"assignee\":\"bob\"},\"sort\":\"-updated\",\"include\":[\"transitions\"]}");
        assertThat(r.method()).isEqualTo("POST");
        assertThat(r.pathAndQuery()).isEqualTo("/v3/issues/_search?page=2&perPage=10&expand=transitions");
        assertThat(body(r)).isEqualTo("{\"filter\":{\"assignee\":\"bob\",\"queue\":\"TEST\"},\"order\":\"-updated\"}");

        HttpRequestSpec query = request(Operation.LIST,
                "{\"provider\":\"yandex-tracker\",\"native\":{\"query\":\"Queue: TEST\",\"perPage\":3}}");
        assertThat(query.pathAndQuery()).isEqualTo("/v3/issues/_search?perPage=3");
        assertThat(body(query)).isEqualTo("{\"query\":\"Queue: TEST\"}");
    }

    @Test
    void aNextPageKeepsEverythingButThePage() {
        var command = Fixtures.command("{\"provider\":\"yandex-tracker\",\"perPage\":2,\"allPages\":true,"
                + "\"filter\":{\"queue\":\"TEST\"}}", Operation.LIST);
        assertThat(TrackerMapper.firstPage(command)).isEqualTo(1);
        HttpRequestSpec next = TrackerMapper.listPage(command, 3);
        assertThat(next.pathAndQuery()).isEqualTo("/v3/issues/_search?page=3&perPage=2");
        assertThat(body(next)).isEqualTo("{\"filter\":{\"queue\":\"TEST\"}}");
    }
}
