package io.taskroutes.provider.worksection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.junit.jupiter.api.Test;

import io.taskroutes.command.Operation;
import io.taskroutes.command.TaskCommand;
import io.taskroutes.errors.ErrorReason;
import io.taskroutes.errors.TaskException;
import io.taskroutes.provider.HttpRequestSpec;
import io.taskroutes.testsupport.Fixtures;

/** Canonical commands to Worksection actions and the two signing strategies, without any I/O. */
class WorksectionMapperTest {

    private static HttpRequestSpec map(String json, Operation operation) {
        return WorksectionMapper.request(Fixtures.command(json, operation));
    }

    private static TaskException failure(String json, Operation operation) {
        TaskCommand command = Fixtures.command(json, operation);
        return catchThrowableOfType(TaskException.class, () -> WorksectionMapper.request(command));
    }

    @Test
    void listWithIncludeAndActiveFilterIsSignedWithMd5OfTheExactQueryPlusKey() {
        HttpRequestSpec request = map("{\"provider\":\"worksection\",\"include\":[\"text\",\"subtasks\"],"
                + "\"filter\":{\"status\":\"active\"}}", Operation.LIST);
        assertThat(request.method()).isEqualTo("GET");
        assertThat(request.queryString()).isEqualTo("action=get_all_tasks&extra=text%2Csubtasks&filter=active");

        HttpRequestSpec signed = new WorksectionHashAuth("secret-key-1").sign(request);
        // md5("action=get_all_tasks&extra=text%2Csubtasks&filter=activesecret-key-1"), computed with md5sum
        assertThat(signed.pathAndQuery()).isEqualTo("/api/admin/v2/?action=get_all_tasks&extra=text%2Csubtasks"
                + "&filter=active&hash=4cb995f67852aa23d1520497abbb3211");
        assertThat(signed.headers()).isEmpty();
        assertThat(signed.pathAndQuery()).doesNotContain("secret-key-1");
        assertThat(new WorksectionHashAuth("secret-key-1").toString()).doesNotContain("secret-key-1");
    }

    @Test
    void oauthUsesItsOwnEndpointAndABearerHeaderWithoutHash() {
        HttpRequestSpec signed = new WorksectionOAuth("tok-1").sign(map("{\"provider\":\"worksection\"}", Operation.LIST));
        assertThat(signed.pathAndQuery()).isEqualTo("/api/oauth2?action=get_all_tasks");
        assertThat(signed.headers()).containsEntry("Authorization", "Bearer tok-1");
    }

    @Test
    void listOfOneProjectIsGetTasks() {
        assertThat(map("{\"provider\":\"worksection\",\"project\":100,\"include\":[\"files\"]}", Operation.LIST).queryString())
                .isEqualTo("action=get_tasks&id_project=100&extra=files");
        assertThat(map("{\"provider\":\"worksection\",\"native\":{\"id_project\":7}}", Operation.LIST).queryString())
                .isEqualTo("action=get_tasks&id_project=7");
    }

    @Test
    void listCanOnlyFilterOpenTasks() {
        TaskException e = failure("{\"provider\":\"worksection\",\"filter\":{\"status\":\"closed\"}}", Operation.LIST);
        assertThat(e.reason()).isEqualTo(ErrorReason.INVALID);
        assertThat(e.getMessage()).contains("only be filtered to open tasks");
    }

    @Test
    void getSendsIdTaskAndExtra() {
        assertThat(map("{\"provider\":\"worksection\",\"taskId\":\"1001\",\"include\":[\"html\",\"relations\"]}", Operation.GET)
                .queryString()).isEqualTo("action=get_task&id_task=1001&extra=html%2Crelations");
    }

    @Test
    void createMapsProjectTitleAssigneeDueDateAndNativeTodoAndTags() {
        HttpRequestSpec request = map("{\"provider\":\"worksection\",\"project\":\"100\",\"title\":\"Ship it\",\"text\":\"Now\","
                + "\"assignee\":{\"email\":\"bob@sandbox.local\"},\"dueDate\":\"2024-06-30\",\"parentTaskId\":\"1005\","
                + "\"native\":{\"priority\":7,\"todo\":[\"one\",\"two\"],\"tags\":[\"Release\",\"Docs\"]}}", Operation.CREATE);
        assertThat(request.queryString()).isEqualTo("action=post_task&id_project=100&id_parent=1005&title=Ship%20it&text=Now"
                + "&email_user_to=bob%40sandbox.local&dateend=30.06.2024&priority=7&todo%5B%5D=one&todo%5B%5D=two"
                + "&tags=Release%2CDocs");
    }

    @Test
    void createWithoutProjectIsInvalidAndNamesIt() {
        TaskException e = failure("{\"provider\":\"worksection\",\"title\":\"x\"}", Operation.CREATE);
        assertThat(e.reason()).isEqualTo(ErrorReason.INVALID);
        assertThat(e.getMessage()).contains("project is required").contains("id_project");
    }

    @Test
    void assigneeMustBeAnEmail() {
        TaskException e = failure("{\"provider\":\"worksection\",\"project\":\"100\",\"title\":\"x\",\"assignee\":{\"id\":5}}",
                Operation.CREATE);
        assertThat(e.reason()).isEqualTo(ErrorReason.INVALID);
        assertThat(e.getMessage()).contains("e-mail");
    }

    @Test
    void statusOnlyUpdatesAreCompleteOrReopen() {
        assertThat(map("{\"provider\":\"worksection\",\"taskId\":\"7\",\"status\":\"closed\"}", Operation.UPDATE).queryString())
                .isEqualTo("action=complete_task&id_task=7");
        assertThat(map("{\"provider\":\"worksection\",\"taskId\":\"7\",\"status\":\"open\"}", Operation.UPDATE).queryString())
                .isEqualTo("action=reopen_task&id_task=7");
    }

    @Test
    void fieldUpdatesAreUpdateTask() {
        assertThat(map("{\"provider\":\"worksection\",\"taskId\":\"7\",\"title\":\"New\",\"dueDate\":\"2024-01-02\","
                + "\"native\":{\"priority\":3}}", Operation.UPDATE).queryString())
                .isEqualTo("action=update_task&id_task=7&title=New&dateend=02.01.2024&priority=3");
    }

    @Test
    void statusTogetherWithFieldsIsRefusedRatherThanHalfApplied() {
        TaskException e = failure("{\"provider\":\"worksection\",\"taskId\":\"7\",\"status\":\"closed\",\"title\":\"x\"}",
                Operation.UPDATE);
        assertThat(e.reason()).isEqualTo(ErrorReason.INVALID);
        assertThat(e.getMessage()).contains("separate actions");
        assertThat(failure("{\"provider\":\"worksection\",\"taskId\":\"7\",\"status\":\"archived\"}", Operation.UPDATE)
                .reason()).isEqualTo(ErrorReason.INVALID);
        assertThat(failure("{\"provider\":\"worksection\",\"taskId\":\"7\"}", Operation.UPDATE).getMessage())
                .contains("nothing to update");
    }

    @Test
    void commentIsPostComment() {
        assertThat(map("{\"provider\":\"worksection\",\"taskId\":\"7\",\"text\":\"Привет, мир\"}", Operation.COMMENT).queryString())
                .isEqualTo("action=post_comment&id_task=7&text=%D0%9F%D1%80%D0%B8%D0%B2%D0%B5%D1%82%2C%20%D0%BC%D0%B8%D1%80");
        assertThat(failure("{\"provider\":\"worksection\",\"taskId\":\"7\",\"action\":\"close\"}", Operation.COMMENT).reason())
                .isEqualTo(ErrorReason.INVALID);
    }

    @Test
    void deleteIsUnsupportedBecauseTheApiHasNone() {
        TaskException e = failure("{\"provider\":\"worksection\",\"taskId\":\"7\"}", Operation.DELETE);
        assertThat(e.reason()).isEqualTo(ErrorReason.UNSUPPORTED);
        assertThat(e.getMessage()).contains("deliberately cannot delete");
    }

    @Test
    void nativeCannotChangeTheAction() {
        assertThat(map("{\"provider\":\"worksection\",\"taskId\":\"7\",\"native\":{\"action\":\"delete_task\"}}", Operation.GET)
                .queryString()).isEqualTo("action=get_task&id_task=7");
    }
}
