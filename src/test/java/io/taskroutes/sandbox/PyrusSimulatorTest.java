package io.taskroutes.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PyrusSimulatorTest {

    private static final String ISO_UTC = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ";

    private static ProviderSandbox sandbox;
    private static String api;
    private final SandboxClient client = new SandboxClient();

    @BeforeAll
    static void start() {
        sandbox = ProviderSandbox.start();
        api = sandbox.baseUrl("pyrus");
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    @BeforeEach
    void reset() {
        sandbox.reset();
    }

    private String token() throws Exception {
        SandboxClient.Answer auth = client.postJson(sandbox.pyrusAuthUrl(), null,
                "{\"login\":\"" + ProviderSandbox.PYRUS_LOGIN + "\",\"security_key\":\""
                        + ProviderSandbox.PYRUS_SECURITY_KEY + "\"}");
        assertThat(auth.status()).isEqualTo(200);
        return auth.json().get("access_token").asText();
    }

    @Test
    void authIssuesTokenAndApiUrl() throws Exception {
        SandboxClient.Answer auth = client.postJson(sandbox.pyrusAuthUrl(), null,
                "{\"login\":\"bot@sandbox.local\",\"security_key\":\"sandbox-pyrus-security-key\"}");

        assertThat(auth.status()).isEqualTo(200);
        JsonNode body = auth.json();
        assertThat(body.get("access_token").asText()).isNotBlank();
        assertThat(body.get("api_url").asText()).isEqualTo(api + "/");
        assertThat(body.get("files_url").asText()).startsWith("http://127.0.0.1:");
        assertThat(token()).isNotEqualTo(body.get("access_token").asText());
        assertThat(sandbox.pyrus().authCalls()).isEqualTo(2);
    }

    @Test
    void wrongCredentialsAre401() throws Exception {
        SandboxClient.Answer auth = client.postJson(sandbox.pyrusAuthUrl(), null,
                "{\"login\":\"bot@sandbox.local\",\"security_key\":\"wrong\"}");

        assertThat(auth.status()).isEqualTo(401);
        assertThat(auth.json().get("error_code").asText()).isEqualTo("invalid_credentials");
        assertThat(auth.json().get("error").asText()).isNotBlank();
    }

    @Test
    void getsSeededPlainAndFormTasksWithRateLimitHeaders() throws Exception {
        String token = token();

        SandboxClient.Answer plain = client.get(api + "/tasks/11611", token);
        assertThat(plain.status()).isEqualTo(200);
        assertThat(plain.json().at("/task/text").asText()).isEqualTo("Help with printer");
        assertThat(plain.json().at("/task/responsible/id").asLong()).isEqualTo(1733);
        assertThat(plain.json().at("/task/comments")).hasSize(1);
        assertThat(plain.header("X-RateLimit-Limit")).isEqualTo("5000");
        assertThat(Integer.parseInt(plain.header("X-RateLimit-Remaining"))).isLessThan(5000);
        assertThat(Integer.parseInt(plain.header("X-RateLimit-Reset"))).isBetween(0, 600);

        SandboxClient.Answer form = client.get(api + "/tasks/11613", token);
        assertThat(form.status()).isEqualTo(200);
        assertThat(form.json().at("/task/text").asText()).isEqualTo("Payments");
        assertThat(form.json().at("/task/form_id").asLong()).isEqualTo(1345);
        assertThat(form.json().at("/task/fields")).hasSize(4);
        assertThat(form.json().at("/task/comments")).hasSize(2);
    }

    @Test
    void unknownTaskIsAccessDenied() throws Exception {
        SandboxClient.Answer answer = client.get(api + "/tasks/999999", token());

        assertThat(answer.status()).isEqualTo(403);
        assertThat(answer.json().get("error_code").asText()).isEqualTo("access_denied_task");
    }

    @Test
    void createsPlainTaskWithFirstComment() throws Exception {
        String token = token();
        SandboxClient.Answer created = client.postJson(api + "/tasks", token,
                "{\"text\":\"Help with printer\",\"responsible\":{\"id\":1733},"
                        + "\"participants\":[{\"id\":1733},{\"email\":\"Bob.Smith@gmail.com\"}]}");

        assertThat(created.status()).isEqualTo(200);
        JsonNode task = created.json().get("task");
        assertThat(task.get("id").asLong()).isGreaterThan(11613);
        assertThat(task.get("text").asText()).isEqualTo("Help with printer");
        assertThat(task.get("create_date").asText()).matches(ISO_UTC);
        assertThat(task.get("last_modified_date").asText()).matches(ISO_UTC);
        assertThat(task.at("/author/email").asText()).isEqualTo(ProviderSandbox.PYRUS_LOGIN);
        assertThat(task.at("/responsible/first_name").asText()).isEqualTo("John");
        assertThat(task.get("participants")).hasSize(2);
        assertThat(task.at("/participants/1/id").asLong()).isEqualTo(1731);
        assertThat(task.has("due_date")).isFalse();
        assertThat(task.has("close_date")).isFalse();
        assertThat(task.get("comments")).hasSize(1);
        assertThat(task.at("/comments/0/text").asText()).isEqualTo("Help with printer");
        assertThat(task.at("/comments/0/reassigned_to/id").asLong()).isEqualTo(1733);

        JsonNode second = client.postJson(api + "/tasks", token, "{\"text\":\"Another\"}").json().get("task");
        assertThat(second.get("id").asLong()).isGreaterThan(task.get("id").asLong());
        assertThat(second.has("responsible")).isFalse();
        assertThat(client.get(api + "/tasks/" + second.get("id").asLong(), token).status()).isEqualTo(200);
    }

    @Test
    void createsFormTaskKeepingFields() throws Exception {
        SandboxClient.Answer created = client.postJson(api + "/tasks", token(),
                "{\"form_id\":1345,\"fields\":[{\"id\":1,\"value\":\"IT conference in Amsterdam\"},"
                        + "{\"id\":2,\"value\":10306.25}]}");

        assertThat(created.status()).isEqualTo(200);
        JsonNode task = created.json().get("task");
        assertThat(task.get("form_id").asLong()).isEqualTo(1345);
        assertThat(task.get("text").asText()).isEqualTo("Payments");
        assertThat(task.get("fields")).hasSize(2);
        assertThat(task.at("/fields/0/name").asText()).isEqualTo("Purpose");
        assertThat(task.at("/fields/0/value").asText()).isEqualTo("IT conference in Amsterdam");
        assertThat(task.at("/fields/1/value").asDouble()).isEqualTo(10306.25);
        assertThat(task.at("/comments/0/field_updates")).hasSize(2);
    }

    @Test
    void createValidation() throws Exception {
        String token = token();

        SandboxClient.Answer noText = client.postJson(api + "/tasks", token, "{\"responsible\":{\"id\":1733}}");
        assertThat(noText.status()).isEqualTo(400);
        assertThat(noText.json().get("error_code").asText()).isEqualTo("text_missing");

        SandboxClient.Answer bothDue = client.postJson(api + "/tasks", token,
                "{\"text\":\"x\",\"due_date\":\"2030-01-01\",\"due\":\"2030-01-01T10:00:00Z\"}");
        assertThat(bothDue.status()).isEqualTo(400);
        assertThat(bothDue.json().get("error_code").asText()).isEqualTo("either_due_date_or_due_can_be_set");

        SandboxClient.Answer invalid = client.postJson(api + "/tasks", token, "{\"text\":");
        assertThat(invalid.status()).isEqualTo(400);
        assertThat(invalid.json().get("error_code").asText()).isEqualTo("invalid_json");

        SandboxClient.Answer empty = client.postJson(api + "/tasks", token, "");
        assertThat(empty.status()).isEqualTo(400);
        assertThat(empty.json().get("error_code").asText()).isEqualTo("empty_body");
    }

    @Test
    void commentClosesReopensAndReassigns() throws Exception {
        String token = token();

        SandboxClient.Answer closed = client.postJson(api + "/tasks/11613/comments", token,
                "{\"text\":\"It's done.\",\"action\":\"finished\"}");
        assertThat(closed.status()).isEqualTo(200);
        JsonNode task = closed.json().get("task");
        assertThat(task.get("close_date").asText()).matches(ISO_UTC);
        assertThat(task.get("comments")).hasSize(3);
        assertThat(task.at("/comments/2/text").asText()).isEqualTo("It's done.");
        assertThat(task.at("/comments/2/action").asText()).isEqualTo("finished");
        assertThat(task.get("last_modified_date").asText()).isEqualTo(task.at("/comments/2/create_date").asText());

        JsonNode reopened = client.postJson(api + "/tasks/11613/comments", token,
                "{\"action\":\"reopened\",\"reassign_to\":{\"email\":\"Jane.Doe@gmail.com\"}}").json().get("task");
        assertThat(reopened.has("close_date")).isFalse();
        assertThat(reopened.at("/responsible/id").asLong()).isEqualTo(1725);
        assertThat(reopened.at("/comments/3/reassigned_to/last_name").asText()).isEqualTo("Doe");

        SandboxClient.Answer nothing = client.postJson(api + "/tasks/11613/comments", token, "{}");
        assertThat(nothing.status()).isEqualTo(400);
    }

    @Test
    void deletesTask() throws Exception {
        String token = token();

        SandboxClient.Answer deleted = client.delete(api + "/tasks/11611", token);
        assertThat(deleted.status()).isEqualTo(200);
        assertThat(deleted.json().get("deleted").asBoolean()).isTrue();
        assertThat(client.get(api + "/tasks/11611", token).status()).isEqualTo(403);
        assertThat(client.delete(api + "/tasks/11611", token).json().get("error_code").asText())
                .isEqualTo("access_denied_task");
    }

    @Test
    void tokenProblemsAre401WithTheirCodes() throws Exception {
        assertThat(client.get(api + "/tasks/11611", null).json().get("error_code").asText())
                .isEqualTo("token_not_specified");
        SandboxClient.Answer unknown = client.get(api + "/tasks/11611", "no-such-token");
        assertThat(unknown.status()).isEqualTo(401);
        assertThat(unknown.json().get("error_code").asText()).isEqualTo("invalid_token");

        String token = token();
        sandbox.pyrus().expireTokens();
        SandboxClient.Answer expired = client.get(api + "/tasks/11611", token);
        assertThat(expired.status()).isEqualTo(401);
        assertThat(expired.json().get("error_code").asText()).isEqualTo("expired_token");
        assertThat(expired.header("X-RateLimit-Limit")).isEqualTo("5000");

        assertThat(client.get(api + "/tasks/11611", token()).status()).isEqualTo(200);
        assertThat(sandbox.pyrus().authCalls()).isEqualTo(2);

        sandbox.pyrus().acceptStaticToken("static-token");
        assertThat(client.get(api + "/tasks/11611", "static-token").status()).isEqualTo(200);
    }

    @Test
    void rateLimitFaultAnswers429WithRetryAfter() throws Exception {
        String token = token();
        sandbox.faults("pyrus").rateLimitNext(1, 7);

        SandboxClient.Answer limited = client.get(api + "/tasks/11611", token);
        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.header("Retry-After")).isEqualTo("7");
        assertThat(limited.header("X-RateLimit-Limit")).isEqualTo("5000");
        assertThat(limited.header("X-RateLimit-Remaining")).isEqualTo("0");
        assertThat(limited.header("X-RateLimit-Reset")).isEqualTo("7");
        assertThat(limited.json().get("error_code").asText()).isEqualTo("too_many_requests");
        assertThat(limited.json().get("error").asText()).isNotBlank();

        assertThat(client.get(api + "/tasks/11611", token).status()).isEqualTo(200);
        assertThat(sandbox.requests("pyrus")).extracting(RecordedRequest::path)
                .containsExactly("/pyrus-accounts/api/v4/auth", "/pyrus/v4/tasks/11611", "/pyrus/v4/tasks/11611");
    }

    @Test
    void listsAndInbox() throws Exception {
        String token = token();
        long open = client.postJson(api + "/tasks", token, "{\"text\":\"open\",\"list_ids\":[42]}")
                .json().at("/task/id").asLong();
        long done = client.postJson(api + "/tasks", token, "{\"text\":\"done\",\"list_ids\":[42]}")
                .json().at("/task/id").asLong();
        client.postJson(api + "/tasks/" + done + "/comments", token, "{\"action\":\"finished\"}");

        JsonNode list = client.get(api + "/lists/42/tasks", token).json();
        assertThat(list.get("tasks")).extracting(t -> t.get("id").asLong()).containsExactly(open);
        assertThat(list.get("has_more").asBoolean()).isFalse();
        assertThat(list.at("/tasks/0").has("comments")).isFalse();

        JsonNode archived = client.get(api + "/lists/42/tasks?include_archived=y&item_count=1", token).json();
        assertThat(archived.get("tasks")).hasSize(1);
        assertThat(archived.get("has_more").asBoolean()).isTrue();

        JsonNode inbox = client.get(api + "/inbox", token).json();
        assertThat(inbox.get("tasks")).extracting(t -> t.get("id").asLong()).contains(11611L, 11613L, open)
                .doesNotContain(done);
        assertThat(inbox.get("has_more").asBoolean()).isFalse();
    }
}
