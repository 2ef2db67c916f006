package io.taskroutes.sandbox;

import java.io.IOException;
import java.io.UncheckedIOException;

import com.fasterxml.jackson.databind.node.ArrayNode;

/**
 * The Worksection sandbox's seeded tasks: the sample answer of get_all_tasks from seed 004 with concrete
 * values (nested {@code child}, relations, tags, files), plus an open task with an open subtask and a task in a
 * second project. Stored with every field; the simulator drops what {@code extra} did not ask for.
 */
final class WorksectionSeed {

    static final String PROJECT_ID = "100";
    static final String OTHER_PROJECT_ID = "200";

    private static final String TASKS = """
            [
              {
                "id": "1001",
                "name": "Prepare the release",
                "page": "/project/100/1001/",
                "status": "done",
                "priority": "5",
                "user_from": {
                  "id": "101",
                  "email": "alice@sandbox.local",
                  "name": "Alice"
                },
                "user_to": {
                  "id": "102",
                  "email": "bob@sandbox.local",
                  "name": "Bob"
                },
                "project": {
                  "id": "100",
                  "name": "Sandbox project",
                  "page": "/project/100/"
                },
                "text": "Release notes and packages",
                "date_added": "2021-05-20 10:15",
                "date_start": "2021-05-20",
                "date_end": "2021-05-25",
                "date_closed": "2021-05-24 18:00",
                "time_end": "18:00",
                "max_time": "50",
                "max_money": "100",
                "tags": {
                  "11": "Release",
                  "12": "Urgent"
                },
                "files": [
                  {
                    "id": "501",
                    "size": "2048",
                    "name": "Example.docx",
                    "page": "/download/501"
                  }
                ],
                "relations": {
                  "to": [
                    {
                      "type": "finish-to-start",
                      "task": {
                        "id": "1004",
                        "name": "Announce the release",
                        "page": "/project/100/1004/",
                        "status": "active",
                        "priority": "1"
                      }
                    }
                  ],
                  "from": [
                    {
                      "type": "start-to-start",
                      "task": {
                        "id": "1002",
                        "name": "Build packages",
                        "page": "/project/100/1001/1002/",
                        "status": "done",
                        "priority": "5"
                      }
                    }
                  ]
                },
                "child": [
                  {
                    "id": "1002",
                    "name": "Build packages",
                    "page": "/project/100/1001/1002/",
                    "status": "done",
                    "priority": "5",
                    "user_from": {
                      "id": "101",
                      "email": "alice@sandbox.local",
                      "name": "Alice"
                    },
                    "user_to": {
                      "id": "101",
                      "email": "alice@sandbox.local",
                      "name": "Alice"
                    },
                    "date_added": "2021-05-20 10:20",
                    "date_closed": "2021-05-23 12:00",
                    "child": [
                      {
                        "id": "1003",
                        "name": "Sign packages",
                        "page": "/project/100/1001/1002/1003/",
                        "status": "done",
                        "priority": "3",
                        "user_from": {
                          "id": "101",
                          "email": "alice@sandbox.local",
                          "name": "Alice"
                        },
                        "user_to": {
                          "id": "1",
                          "email": "NOONE",
                          "name": "Executive isn't assigned"
                        },
                        "date_added": "2021-05-20 10:25",
                        "date_closed": "2021-05-23 11:00",
                        "project": {
                          "id": "100",
                          "name": "Sandbox project",
                          "page": "/project/100/"
                        }
                      }
                    ],
                    "project": {
                      "id": "100",
                      "name": "Sandbox project",
                      "page": "/project/100/"
                    }
                  }
                ]
              },
              {
                "id": "1004",
                "name": "Announce the release",
                "page": "/project/100/1004/",
                "status": "active",
                "priority": "1",
                "user_from": {
                  "id": "101",
                  "email": "alice@sandbox.local",
                  "name": "Alice"
                },
                "user_to": {
                  "id": "1",
                  "email": "NOONE",
                  "name": "Executive isn't assigned"
                },
                "project": {
                  "id": "100",
                  "name": "Sandbox project",
                  "page": "/project/100/"
                },
                "text": "Post to the blog",
                "date_added": "2021-05-21 09:00",
                "date_end": "2021-05-28"
              },
              {
                "id": "1005",
                "name": "Write the docs",
                "page": "/project/100/1005/",
                "status": "active",
                "priority": "2",
                "user_from": {
                  "id": "101",
                  "email": "alice@sandbox.local",
                  "name": "Alice"
                },
                "user_to": {
                  "id": "102",
                  "email": "bob@sandbox.local",
                  "name": "Bob"
                },
                "project": {
                  "id": "100",
                  "name": "Sandbox project",
                  "page": "/project/100/"
                },
                "text": "User guide",
                "date_added": "2021-05-22 08:30",
                "date_end": "2021-06-01",
                "tags": {
                  "12": "Urgent"
                },
                "child": [
                  {
                    "id": "1006",
                    "name": "Screenshots",
                    "page": "/project/100/1005/1006/",
                    "status": "active",
                    "priority": "0",
                    "user_from": {
                      "id": "102",
                      "email": "bob@sandbox.local",
                      "name": "Bob"
                    },
                    "user_to": {
                      "id": "102",
                      "email": "bob@sandbox.local",
                      "name": "Bob"
                    },
                    "date_added": "2021-05-22 08:40",
                    "project": {
                      "id": "100",
                      "name": "Sandbox project",
                      "page": "/project/100/"
                    }
                  }
                ]
              },
              {
                "id": "2001",
                "name": "Budget review",
                "page": "/project/200/2001/",
                "status": "active",
                "priority": "0",
                "user_from": {
                  "id": "102",
                  "email": "bob@sandbox.local",
                  "name": "Bob"
                },
                "user_to": {
                  "id": "101",
                  "email": "alice@sandbox.local",
                  "name": "Alice"
                },
                "project": {
                  "id": "200",
                  "name": "Finance",
                  "page": "/project/200/"
                },
                "text": "Q3 numbers",
                "date_added": "2021-06-01 12:00"
              }
            ]
            """;

    private WorksectionSeed() {
    }

    static ArrayNode tasks() {
        try {
            return (ArrayNode) SandboxHttp.MAPPER.readTree(TASKS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
