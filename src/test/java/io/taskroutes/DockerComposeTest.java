package io.taskroutes;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * docker/ cannot be run here (no Docker engine), so its files are checked against what the bundle reads: every
 * environment variable handed to the bundle must name a key of application.properties, and the image must build
 * the jar in one stage and run it in another.
 */
class DockerComposeTest {

    private static final Path COMPOSE = Path.of("docker", "compose.yaml");
    private static final Path DOCKERFILE = Path.of("docker", "Dockerfile");
    private static final Path PROPERTIES = Path.of("application.properties");
    private static final String BUNDLE = "task-routes";

    /** {@code ${NAME}}, {@code ${NAME:-default}} or {@code ${NAME-default}}, the whole value. */
    private static final Pattern PASS_THROUGH = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::?-(.*))?}");
    /** A documented but unset key: {@code #tasks.kafka.brokers=}. Prose comments never match (no spaces allowed). */
    private static final Pattern COMMENTED_KEY = Pattern.compile("^#\\s*([A-Za-z][A-Za-z0-9._-]*)\\s*=.*$");

    @Test
    void bundleServiceRunsTheProdProfileAgainstTheComposeBroker() throws IOException {
        Map<String, Object> services = map(compose().get("services"), "services");
        Map<String, String> env = environment(services.get(BUNDLE));
        assertThat(env).containsEntry("CAMEL_MAIN_PROFILE", "prod");

        Map<String, Object> bundle = map(services.get(BUNDLE), BUNDLE);
        Map<String, Object> build = map(bundle.get("build"), "build");
        assertThat(build).containsEntry("context", "..").containsEntry("dockerfile", "docker/Dockerfile");
        Map<String, Object> dependsOn = map(bundle.get("depends_on"), "depends_on");
        assertThat(map(dependsOn.get("kafka"), "depends_on.kafka")).containsEntry("condition", "service_healthy");

        Map<String, Object> kafka = map(services.get("kafka"), "kafka");
        assertThat(kafka.get("image")).isEqualTo("apache/kafka:3.9.1");
        assertThat(kafka).containsKey("healthcheck");
        Map<String, String> kafkaEnv = environment(kafka);
        assertThat(kafkaEnv).containsEntry("KAFKA_PROCESS_ROLES", "broker,controller")
                .containsEntry("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR", "1")
                .containsKeys("KAFKA_NODE_ID", "KAFKA_LISTENERS", "KAFKA_ADVERTISED_LISTENERS",
                        "KAFKA_CONTROLLER_LISTENER_NAMES", "KAFKA_LISTENER_SECURITY_PROTOCOL_MAP",
                        "KAFKA_CONTROLLER_QUORUM_VOTERS");
        // the bundle's bootstrap address is one the broker advertises
        assertThat(kafkaEnv.get("KAFKA_ADVERTISED_LISTENERS")).contains("://" + env.get("TASKS_KAFKA_BROKERS"));
    }

    @Test
    void everyVariableOfTheBundleIsAKeyTheBundleReads() throws IOException {
        Map<String, String> env = environment(map(compose().get("services"), "services").get(BUNDLE));
        Map<String, Optional<String>> keys = applicationKeys();
        assertThat(keys).as("keys of %s", PROPERTIES).isNotEmpty();

        List<String> unknown = new ArrayList<>();
        for (String name : env.keySet()) {
            if (keyFor(name, keys.keySet()).isEmpty()) {
                unknown.add(name);
            }
        }
        assertThat(unknown).as("environment variables of '%s' that map to no key of %s", BUNDLE, PROPERTIES).isEmpty();
    }

    @Test
    void aPassThroughNeverBlanksAKeyThatHasADefault() throws IOException {
        // An empty environment variable overrides application.properties in Camel, so '${X:-}' would replace a
        // default such as tasks.kafka.group-id=task-routes with nothing.
        Map<String, String> env = environment(map(compose().get("services"), "services").get(BUNDLE));
        Map<String, Optional<String>> keys = applicationKeys();
        env.forEach((name, value) -> {
            Matcher m = PASS_THROUGH.matcher(value);
            if (!m.matches()) {
                return;
            }
            assertThat(m.group(1)).as("a pass-through keeps the variable's name").isEqualTo(name);
            String fallback = m.group(2) == null ? "" : m.group(2);
            Optional<String> key = keyFor(name, keys.keySet());
            Optional<String> fileDefault = key.flatMap(keys::get);
            if (fallback.isEmpty() && fileDefault.isPresent()) {
                assertThat(fileDefault.get()).as("%s has a default in %s that '%s' would blank", key.get(), PROPERTIES, value)
                        .isEmpty();
            }
        });
    }

    @Test
    void credentialsArePassedThroughNotWrittenDown() throws IOException {
        Map<String, String> env = environment(map(compose().get("services"), "services").get(BUNDLE));
        for (String secret : List.of("TASKS_PIXFLOW_TOKEN", "TASKS_PYRUS_TOKEN", "TASKS_PYRUS_LOGIN", "TASKS_PYRUS_SECURITY_KEY")) {
            assertThat(env).containsKey(secret);
            assertThat(env.get(secret)).as(secret).matches(PASS_THROUGH);
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void prometheusScrapesTheBundlesManagementServer() throws IOException {
        Map<String, Object> services = map(compose().get("services"), "services");
        Map<String, String> env = environment(services.get(BUNDLE));
        assertThat(env).containsEntry("CAMEL_MANAGEMENT_ENABLED", "true");
        String port = env.get("CAMEL_MANAGEMENT_PORT");
        assertThat(port).matches("\\d+");
        assertThat((List<Object>) map(services.get(BUNDLE), BUNDLE).get("ports")).contains(port + ":" + port);

        Map<String, Object> prometheus = map(services.get("prometheus"), "prometheus");
        assertThat(String.valueOf(prometheus.get("image"))).startsWith("prom/prometheus:");
        assertThat((List<Object>) prometheus.get("volumes")).anyMatch(v -> String.valueOf(v).startsWith("./prometheus.yml:/etc/prometheus/prometheus.yml"));

        Map<String, Object> config = map(new Load(LoadSettings.builder().build())
                .loadFromString(Files.readString(Path.of("docker", "prometheus.yml"))), "prometheus.yml");
        Map<String, Object> job = map(((List<Object>) config.get("scrape_configs")).get(0), "scrape_configs[0]");
        Properties props = new Properties();
        props.load(new StringReader(Files.readString(PROPERTIES)));
        assertThat(job.get("metrics_path")).isEqualTo(props.getProperty("camel.metrics.path", "/observe/metrics"));
        List<Object> targets = (List<Object>) map(((List<Object>) job.get("static_configs")).get(0), "static_configs[0]").get("targets");
        assertThat(targets).containsExactly(BUNDLE + ":" + port);

        // the dashboard is valid JSON and queries the bundle's meters
        String dashboard = Files.readString(Path.of("docker", "grafana", "dashboards", "task-routes.json"));
        assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(dashboard).get("panels").size()).isPositive();
        assertThat(dashboard).contains("tasks_commands_total", "tasks_provider_call_seconds_bucket");
    }

    @Test
    void matcherMapsUpperCaseUnderscoresToDotsAndDashes() {
        Set<String> keys = Set.of("tasks.pyrus.security-key", "tasks.kafka.group-id", "camel.main.profile");
        assertThat(keyFor("TASKS_PYRUS_SECURITY_KEY", keys)).contains("tasks.pyrus.security-key");
        assertThat(keyFor("TASKS_KAFKA_GROUP_ID", keys)).contains("tasks.kafka.group-id");
        assertThat(keyFor("CAMEL_MAIN_PROFILE", keys)).contains("camel.main.profile");
        assertThat(keyFor("TASKS_PYRUS_SECURITY", keys)).isEmpty();
        assertThat(keyFor("TASKS_PYRUS_SECURITY_KEY_X", keys)).isEmpty();
        assertThat(keyFor("tasks_pyrus_security_key", keys)).as("environment names are upper case").isEmpty();
        assertThat(keyFor("TASKS_PYRUS_TOKEN", keys)).isEmpty();
    }

    @Test
    void dockerfileBuildsInOneStageAndRunsTheJarInAnother() throws IOException {
        List<String> lines = instructions(Files.readString(DOCKERFILE));
        List<String> froms = lines.stream().filter(l -> l.toUpperCase(Locale.ROOT).startsWith("FROM ")).toList();
        assertThat(froms).hasSize(2);
        assertThat(froms.get(0)).startsWith("FROM maven:3.9-eclipse-temurin-17");
        assertThat(froms.get(1)).isEqualTo("FROM eclipse-temurin:17-jre");

        int runStage = lines.indexOf(froms.get(1));
        List<String> build = lines.subList(0, runStage);
        List<String> run = lines.subList(runStage, lines.size());

        // everything the pom packages: sources, the top-level YAML routes and configuration
        for (String needed : List.of("pom.xml", "src", "routes", "application.properties")) {
            assertThat(build).as("build stage copies %s", needed)
                    .anyMatch(l -> l.startsWith("COPY ") && List.of(l.split("\\s+")).contains(needed));
        }
        assertThat(build).anyMatch(l -> l.startsWith("RUN ") && l.contains("mvn -B -DskipTests package"));

        assertThat(run).anyMatch(l -> l.startsWith("COPY --from=") && l.contains("target/task-routes.jar")
                && l.endsWith("/app/task-routes.jar"));
        assertThat(run).anyMatch(l -> l.matches("ENV\\s+CAMEL_MAIN_PROFILE=prod"));
        List<String> users = run.stream().filter(l -> l.startsWith("USER ")).toList();
        assertThat(users).as("the run stage switches to a non-root user").isNotEmpty();
        String user = users.get(users.size() - 1).substring(5).trim().split(":")[0];
        assertThat(user).isNotIn("root", "0");
        String entrypoint = run.stream().filter(l -> l.startsWith("ENTRYPOINT ") || l.startsWith("CMD ")).reduce((a, b) -> b)
                .orElseThrow(() -> new AssertionError("no ENTRYPOINT/CMD in the run stage"));
        assertThat(entrypoint).contains("\"java\"").contains("\"-jar\"").contains("\"/app/task-routes.jar\"");

        // the jar name the Dockerfile copies is the one the pom builds
        assertThat(Files.readString(Path.of("pom.xml"))).contains("<outputFile>${project.build.directory}/task-routes.jar</outputFile>");
    }

    // --- helpers ---

    /** The application.properties key an environment variable sets: upper case, '.' and '-' written as '_'. */
    static Optional<String> keyFor(String envName, Set<String> keys) {
        if (!envName.matches("[A-Z][A-Z0-9_]*")) {
            return Optional.empty();
        }
        return keys.stream()
                .filter(k -> io.taskroutes.app.EnvironmentOverrides.variableOf(k).equals(envName))
                .findFirst();
    }

    /**
     * Every key of application.properties with its value; a key that is only documented ({@code #key=}) is a key
     * the bundle reads without a default, so it maps to an empty Optional.
     */
    private static Map<String, Optional<String>> applicationKeys() throws IOException {
        String text = Files.readString(PROPERTIES);
        Properties properties = new Properties();
        properties.load(new StringReader(text));
        Map<String, Optional<String>> keys = new LinkedHashMap<>();
        for (String line : text.split("\\R")) {
            Matcher m = COMMENTED_KEY.matcher(line.trim());
            if (m.matches()) {
                keys.put(m.group(1), Optional.empty());
            }
        }
        properties.stringPropertyNames().forEach(k -> keys.put(k, Optional.of(properties.getProperty(k))));
        return keys;
    }

    private static Map<String, Object> compose() throws IOException {
        Object root = new Load(LoadSettings.builder().build()).loadFromString(Files.readString(COMPOSE));
        return map(root, COMPOSE.toString());
    }

    /** A service's environment, in either compose form (a map, or a list of NAME=value). */
    private static Map<String, String> environment(Object service) {
        Object env = map(service, "service").get("environment");
        Map<String, String> result = new LinkedHashMap<>();
        if (env instanceof Map<?, ?> m) {
            m.forEach((k, v) -> result.put(String.valueOf(k), v == null ? "" : String.valueOf(v)));
        } else if (env instanceof List<?> l) {
            for (Object item : l) {
                String s = String.valueOf(item);
                int eq = s.indexOf('=');
                result.put(eq < 0 ? s : s.substring(0, eq), eq < 0 ? "" : s.substring(eq + 1));
            }
        } else {
            throw new AssertionError("service has no environment: " + service);
        }
        return result;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object node, String what) {
        assertThat(node).as(what).isInstanceOf(Map.class);
        return (Map<String, Object>) node;
    }

    /** Dockerfile instructions, one per entry: comments dropped, '\' continuations joined. */
    private static List<String> instructions(String dockerfile) {
        List<String> result = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String raw : dockerfile.split("\\R")) {
            String line = raw.trim();
            if (line.startsWith("#") || (line.isEmpty() && current.length() == 0)) {
                continue;
            }
            boolean continues = line.endsWith("\\");
            current.append(continues ? line.substring(0, line.length() - 1).trim() : line).append(continues ? " " : "");
            if (!continues) {
                if (current.length() > 0) {
                    result.add(current.toString().trim());
                }
                current.setLength(0);
            }
        }
        return result;
    }
}
