package io.taskroutes.sandbox;

import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The Pyrus sandbox's starting data, taken from the Pyrus task docs (seed 001): people, form 1345's fields,
 * plain task 11611 "Help with printer" and form task 11613 "Payments". The doc's own sample for 11613 is
 * malformed (comment 13768 is nested inside field_updates and reuses ids); it is straightened out here.
 */
final class PyrusSeed {

    /** The account the sandbox's auth issues tokens for; it authors everything the API creates. */
    static final String BOT = """
            {"id":1740,"first_name":"Sandbox","last_name":"Bot","email":"bot@sandbox.local","type":"bot"}""";

    static final List<String> PEOPLE = List.of(BOT,
            """
            {"id":1731,"first_name":"Bob","last_name":"Smith","email":"Bob.Smith@gmail.com","type":"user"}""",
            """
            {"id":1733,"first_name":"John","last_name":"Snow","email":"John.Snow@gmail.com","type":"user"}""",
            """
            {"id":1725,"first_name":"Jane","last_name":"Doe","email":"Jane.Doe@gmail.com","type":"user"}""");

    /** A form template: its name (used as the text of its tasks) and field id -> {type, name}. */
    record Form(String name, Map<Integer, List<String>> fields) {
    }

    static final Map<Long, Form> FORMS = Map.of(1345L, new Form("Payments", Map.of(
            1, List.of("text", "Purpose"),
            2, List.of("money", "Amount"),
            3, List.of("catalog", "Payment type"),
            4, List.of("table", "Payment Schedule"))));

    static final long NEXT_TASK_ID = 11615;
    static final long NEXT_COMMENT_ID = 13770;

    private static final String BOB = PEOPLE.get(1);
    private static final String JOHN = PEOPLE.get(2);
    private static final String JANE = PEOPLE.get(3);

    private static final String TASK_11611 = """
            {"id":11611,"text":"Help with printer",
             "create_date":"2017-08-17T15:32:11Z","last_modified_date":"2017-08-17T15:32:11Z",
             "author":%1$s,"responsible":%2$s,"participants":[%2$s,%1$s],
             "comments":[{"id":13766,"text":"Help with printer","create_date":"2017-08-17T15:32:11Z",
               "author":%1$s,"reassigned_to":%2$s,"participants_added":[%2$s,%1$s]}]}
            """.formatted(BOB, JOHN);

    private static final String FIELDS_11613 = """
            [{"id":1,"type":"text","name":"Purpose","value":"IT conference in Amsterdam"},
             {"id":2,"type":"money","name":"Amount","value":10306.25},
             {"id":3,"type":"catalog","name":"Payment type",
              "value":{"item_id":845,"headers":["Payment types"],"values":["IT Conference"]}},
             {"id":4,"type":"table","name":"Payment Schedule","value":[
               {"row_id":0,"cells":[
                 {"id":9,"type":"date","name":"Date","value":"2017-08-26","parent_id":4,"row_id":0},
                 {"id":6,"type":"money","name":"Amount","value":10000,"parent_id":4,"row_id":0}]},
               {"row_id":1,"cells":[
                 {"id":9,"type":"date","name":"Date","value":"2017-08-27","parent_id":4,"row_id":1},
                 {"id":6,"type":"money","name":"Amount","value":306.25,"parent_id":4,"row_id":1}]}]}]
            """;

    private static final String TASK_11613 = """
            {"id":11613,"text":"Payments",
             "create_date":"2017-08-17T14:31:18Z","last_modified_date":"2017-08-18T10:00:11Z",
             "author":%1$s,"form_id":1345,"responsible":%2$s,
             "approvals":[[{"person":%2$s,"approval_choice":"waiting"}],[{"person":%1$s,"approval_choice":"waiting"}]],
             "fields":%4$s,
             "comments":[
               {"id":13767,"create_date":"2017-08-17T14:31:18Z","author":%1$s,"reassigned_to":%2$s,
                "approvals_added":[[{"person":%2$s,"step":1},{"person":%3$s,"step":1}],[{"person":%1$s,"step":2}]],
                "field_updates":%4$s},
               {"id":13768,"create_date":"2017-08-18T10:00:11Z","author":%1$s,
                "approvals_removed":[[{"person":%3$s,"step":1}]]}]}
            """.formatted(BOB, JOHN, JANE, FIELDS_11613);

    private PyrusSeed() {
    }

    static List<ObjectNode> tasks() {
        return List.of(parse(TASK_11611), parse(TASK_11613));
    }

    static ObjectNode parse(String json) {
        try {
            return (ObjectNode) SandboxHttp.MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
