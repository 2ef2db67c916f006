package io.taskroutes.sandbox;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** A Pyrus error answer: HTTP status plus {@code {"error_code","error"}} (codes are stable, texts are not). */
final class PyrusError extends Exception {
    private static final long serialVersionUID = 1L;
    final int status;
    final String code;

    PyrusError(int status, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
    }

    ObjectNode body() {
        ObjectNode body = SandboxHttp.object();
        body.put("error_code", code);
        body.put("error", getMessage());
        return body;
    }
}
