package io.taskroutes.kamelets;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * Every shipped Kamelet is in the catalog's shape and its declared properties are exactly the ones it uses: one sink
 * per operation into the bundle's direct endpoint, and the task-events source from Kafka.
 */
class KameletFilesTest {

    static final Path DIR = Path.of("src/main/resources/kamelets");
    static final Set<String> EXPECTED = Set.of("task-get-sink", "task-list-sink", "task-create-sink", "task-update-sink",
            "task-delete-sink", "task-comment-sink", "task-checklist-delete-sink", "task-events-source");
    static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\??([A-Za-z0-9_.-]+)(?::[^}]*)?}}");

    @Test
    void oneSinkPerOperationAndTheTaskEventsSource() throws Exception {
        Set<String> names = new TreeSet<>();
        try (Stream<Path> files = Files.list(DIR)) {
            files.forEach(f -> names.add(f.getFileName().toString().replace(".kamelet.yaml", "")));
        }
        assertThat(names).containsExactlyInAnyOrderElementsOf(EXPECTED);
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyKameletIsWellFormed() throws Exception {
        try (Stream<Path> files = Files.list(DIR)) {
            for (Path file : files.toList()) {
                String fileName = file.getFileName().toString();
                assertThat(fileName).endsWith(".kamelet.yaml");
                String text = Files.readString(file);
                Map<String, Object> doc;
                try (InputStream in = Files.newInputStream(file)) {
                    doc = (Map<String, Object>) new Load(LoadSettings.builder().build()).loadFromInputStream(in);
                }
                String name = fileName.replace(".kamelet.yaml", "");
                assertThat(doc.get("apiVersion")).as(name).isEqualTo("camel.apache.org/v1");
                assertThat(doc.get("kind")).as(name).isEqualTo("Kamelet");
                Map<String, Object> metadata = (Map<String, Object>) doc.get("metadata");
                assertThat(metadata.get("name")).as("metadata.name of " + fileName).isEqualTo(name);
                boolean source = name.endsWith("-source");
                assertThat(((Map<String, Object>) metadata.get("labels")).get("camel.apache.org/kamelet.type")).as(name)
                        .isEqualTo(source ? "source" : "sink");

                Map<String, Object> spec = (Map<String, Object>) doc.get("spec");
                Map<String, Object> definition = (Map<String, Object>) spec.get("definition");
                assertThat(definition).as(name).containsKeys("title", "description", "type", "required", "properties");
                assertThat(definition.get("type")).isEqualTo("object");
                Map<String, Map<String, Object>> properties = (Map<String, Map<String, Object>>) definition.get("properties");
                assertThat(properties.keySet()).as(name + ": required properties are declared")
                        .containsAll((List<String>) definition.get("required"));
                properties.forEach((key, property) -> {
                    assertThat(property).as(name + "." + key).containsKeys("title", "description", "type");
                    boolean secret = key.matches("(?i).*(token|password|secret|key)");
                    if (secret) {
                        assertThat(property.get("format")).as(name + "." + key).isEqualTo("password");
                        assertThat((List<String>) property.get("x-descriptors")).contains("urn:camel:group:credentials");
                    }
                });

                String template = text.substring(text.indexOf("\n  template:"));
                Set<String> used = new TreeSet<>();
                Matcher m = PLACEHOLDER.matcher(template);
                while (m.find()) {
                    used.add(m.group(1));
                }
                assertThat(used).as(name + ": used properties = declared properties").isEqualTo(new TreeSet<>(properties.keySet()));

                Map<String, Object> from = (Map<String, Object>) ((Map<String, Object>) spec.get("template")).get("from");
                if (source) {
                    // a source starts at its own endpoint and ends in the Kamelet's sink
                    assertThat((String) from.get("uri")).as(name).doesNotStartWith("kamelet:");
                    assertThat(template).as(name).contains("to: \"kamelet:sink\"");
                } else {
                    assertThat(from.get("uri")).as(name).isEqualTo("kamelet:source");
                    String op = name.replace("-sink", "").replace('-', '.');
                    assertThat(template).as(name).contains("to: \"direct:" + op + "\"");
                }
            }
        }
    }
}
