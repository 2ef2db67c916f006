package io.taskroutes.jar;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;

import org.junit.jupiter.api.Test;

import io.taskroutes.testsupport.JarProcess;

/**
 * What {@code mvn package} leaves in target/: the library a host depends on (the bundle's own classes and
 * resources only), the sandbox test kit, and the runnable application with everything inside.
 */
class ArtifactsIT {

    @Test
    void theLibraryHoldsOnlyTheBundlesOwnClassesAndResources() throws IOException {
        Path library = artifact("");
        List<String> entries = entries(library);
        assertThat(entries).contains("io/taskroutes/TaskRoutes.class", "io/taskroutes/defaults.properties",
                "routes/operations.yaml", "routes/kafka.yaml", "kamelets/task-delete-sink.kamelet.yaml",
                "schemas/command/task.delete.schema.json", "META-INF/services/io.taskroutes.provider.TaskProvider",
                "META-INF/spring/org.springframework.boot.autoconfigure.AutoConfiguration.imports");
        assertThat(entries).allMatch(e -> e.startsWith("io/taskroutes/") || e.startsWith("routes/") || e.startsWith("kamelets/")
                || e.startsWith("schemas/") || e.startsWith("META-INF/"), "only the bundle's own packages and resources");
        // no shaded classes, no application, sandbox, logging or application configuration
        assertThat(entries).noneMatch(e -> e.startsWith("org/") || e.startsWith("com/") || e.startsWith("kafka/") || e.startsWith("scala/"));
        assertThat(entries).noneMatch(e -> e.startsWith("io/taskroutes/app/") || e.startsWith("io/taskroutes/sandbox/"));
        assertThat(entries).doesNotContain("application.properties", "application-dev.properties", "logback.xml", "logback-test.xml",
                "log4j2.xml", "META-INF/services/io.taskroutes.sandbox.SimulatedProvider");
        assertThat(Files.size(library)).isLessThan(400_000);
        try (JarFile jar = new JarFile(library.toFile())) {
            assertThat(jar.getManifest().getMainAttributes().getValue("Main-Class")).isNull();
        }
    }

    @Test
    void theSandboxJarHoldsTheSimulatorsAndTheEmbeddedBroker() throws IOException {
        List<String> entries = entries(artifact("-sandbox"));
        assertThat(entries).contains("io/taskroutes/sandbox/ProviderSandbox.class", "io/taskroutes/sandbox/EmbeddedKafkaBroker.class",
                "META-INF/services/io.taskroutes.sandbox.SimulatedProvider");
        assertThat(entries).allMatch(e -> e.startsWith("io/taskroutes/sandbox/") || e.startsWith("META-INF/"));
    }

    @Test
    void theApplicationJarRunsWithItsOwnConfigurationAndEveryDependency() throws IOException {
        try (JarFile jar = new JarFile(JarProcess.JAR.toFile())) {
            assertThat(jar.getManifest().getMainAttributes().getValue("Main-Class")).isEqualTo("io.taskroutes.app.Application");
            for (String entry : List.of("application.properties", "application-dev.properties", "logback.xml",
                    "io/taskroutes/TaskRoutes.class", "io/taskroutes/app/Application.class", "io/taskroutes/sandbox/ProviderSandbox.class",
                    "org/apache/camel/main/Main.class", "kafka/server/KafkaRaftServer.class")) {
                assertThat((ZipEntry) jar.getEntry(entry)).as(entry).isNotNull();
            }
        }
    }

    private static Path artifact(String classifier) throws IOException {
        List<Path> found = new ArrayList<>();
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(Path.of("target"), "task-routes-*" + classifier + ".jar")) {
            for (Path jar : jars) {
                String name = jar.getFileName().toString();
                // task-routes-<version>.jar, not its -sandbox classifier (when looking for the library)
                if (classifier.isEmpty() ? !name.endsWith("-sandbox.jar") : name.endsWith(classifier + ".jar")) {
                    found.add(jar);
                }
            }
        }
        assertThat(found).as("target/task-routes-<version>" + classifier + ".jar").hasSize(1);
        return found.get(0);
    }

    private static List<String> entries(Path jar) throws IOException {
        try (JarFile file = new JarFile(jar.toFile())) {
            return file.stream().filter(e -> !e.isDirectory()).map(ZipEntry::getName).toList();
        }
    }
}
