package io.taskroutes.sandbox;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The Pyrus sandbox's people: the seeded ones plus any the API calls mention. Guarded by the simulator. */
final class PyrusPeople {

    private final Map<Long, ObjectNode> byId = new HashMap<>();
    private final Map<String, ObjectNode> byEmail = new HashMap<>();
    private long nextId;

    void reset() {
        byId.clear();
        byEmail.clear();
        PyrusSeed.PEOPLE.stream().map(PyrusSeed::parse).forEach(this::remember);
        nextId = 5000;
    }

    /** Persons for an array of references, or null when there is none. */
    ArrayNode list(JsonNode refs) throws PyrusError {
        if (refs == null || !refs.isArray() || refs.isEmpty()) {
            return null;
        }
        ArrayNode out = SandboxHttp.MAPPER.createArrayNode();
        for (JsonNode ref : refs) {
            out.add(person(ref));
        }
        return out;
    }

    /**
     * A person from {@code 1733}, {@code "1733"}, {@code "a@b.c"}, {@code {"id":1733}} or {@code {"email":…}}.
     * Unknown ids and e-mails get a made-up person (lenient on purpose: real Pyrus would answer 400).
     */
    ObjectNode person(JsonNode ref) throws PyrusError {
        if (ref == null || ref.isNull() || ref.isMissingNode()) {
            return null;
        }
        JsonNode key = ref.isObject() ? (ref.hasNonNull("id") ? ref.get("id") : ref.get("email")) : ref;
        if (key == null || key.isNull()) {
            throw new PyrusError(400, "person_identity_missing", "A person needs an id or an email");
        }
        String text = key.asText().trim();
        if (key.canConvertToLong() || text.matches("\\d{1,18}")) {
            long id = key.canConvertToLong() ? key.asLong() : Long.parseLong(text);
            ObjectNode known = byId.get(id);
            return known != null ? known.deepCopy() : remember(stub(id, "user" + id + "@sandbox.local"));
        }
        if (text.contains("@")) {
            ObjectNode known = byEmail.get(text.toLowerCase(Locale.ROOT));
            return known != null ? known.deepCopy() : remember(stub(nextId++, text));
        }
        throw new PyrusError(400, "invalid_person_id_email", "Not a person id or email: " + text);
    }

    private static ObjectNode stub(long id, String email) {
        ObjectNode person = SandboxHttp.object();
        person.put("id", id);
        person.put("first_name", "User");
        person.put("last_name", String.valueOf(id));
        person.put("email", email);
        person.put("type", "user");
        return person;
    }

    private ObjectNode remember(ObjectNode person) {
        byId.put(person.get("id").asLong(), person);
        byEmail.put(person.get("email").asText().toLowerCase(Locale.ROOT), person);
        return person.deepCopy();
    }
}
