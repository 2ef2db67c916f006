package io.taskroutes.kafka;

import java.util.Locale;
import java.util.regex.Pattern;

/** Which inbound record headers may be copied onto records we write. */
final class HeaderHygiene {

    // Credentials that arrived on a record are not ours to republish, whatever the header is called.
    private static final Pattern CREDENTIAL_LIKE = Pattern.compile(
            ".*(authorization|auth|token|secret|password|passwd|api-?key|apikey|cookie|credential|signature|session).*");

    private HeaderHygiene() {
    }

    static boolean isInternal(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.startsWith("camel") || n.startsWith("org.apache.camel.") || n.startsWith("kafka.");
    }

    static boolean mayRepublish(String name) {
        return !isInternal(name) && !CREDENTIAL_LIKE.matcher(name.toLowerCase(Locale.ROOT)).matches();
    }
}
