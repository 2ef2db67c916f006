package io.taskroutes.command;

import java.util.Arrays;
import java.util.Optional;

/** The seven canonical operations; {@link #wireName()} is the name on direct endpoints, topics and in results. */
public enum Operation {
    GET("task.get"),
    LIST("task.list"),
    CREATE("task.create"),
    UPDATE("task.update"),
    DELETE("task.delete"),
    COMMENT("task.comment"),
    CHECKLIST_DELETE("task.checklist.delete");

    private final String wireName;

    Operation(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** Operations that address one existing task and therefore need {@code taskId}. */
    public boolean needsTaskId() {
        return this == GET || this == UPDATE || this == DELETE || this == COMMENT;
    }

    public static Optional<Operation> fromWireName(String name) {
        return Arrays.stream(values()).filter(op -> op.wireName.equals(name)).findFirst();
    }

    @Override
    public String toString() {
        return wireName;
    }
}
