package io.taskroutes.events;

import java.util.Locale;

/** The kinds of change a task event reports (contract §9); the CloudEvents type is {@code io.taskroutes.task.<name>}. */
public enum EventType {
    CREATED, UPDATED, CLOSED, REOPENED, DELETED, COMMENTED;

    public String ceType() {
        return "io.taskroutes.task." + name().toLowerCase(Locale.ROOT);
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
