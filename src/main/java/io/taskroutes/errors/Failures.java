package io.taskroutes.errors;

/** Finds our classified failure in a cause chain, or classifies an unexpected one. */
public final class Failures {

    private Failures() {
    }

    public static TaskException find(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof TaskException te) {
                return te;
            }
        }
        return null;
    }

    /** Our own failure as is; anything else (a bug, an unexpected runtime error) as {@code unavailable}. */
    public static TaskException classify(Throwable t, String provider, String operation) {
        TaskException found = find(t);
        if (found != null) {
            return found;
        }
        String message = t == null ? "unknown failure" : t.getClass().getSimpleName() + ": " + t.getMessage();
        return new TaskException(ErrorReason.UNAVAILABLE, message, t).withProvider(provider).withOperation(operation);
    }
}
