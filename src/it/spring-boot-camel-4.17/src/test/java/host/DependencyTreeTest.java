package host;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** What the bundle adds to the host's dependency tree (target/dependency-tree.txt, written before the build). */
class DependencyTreeTest {

    @Test
    void theBundleBringsNoBrokerScalaZooKeeperVertxLoggingBackendOrManagementServer() throws Exception {
        List<String> tree = Files.readAllLines(Path.of("target", "dependency-tree.txt"));
        List<String> bundle = subtree(tree, "io.taskroutes:task-routes:jar:");
        assertThat(bundle).as("the bundle's dependencies").isNotEmpty()
                .anyMatch(l -> l.contains("org.apache.camel:camel-kafka:jar:4.17.0"))
                .anyMatch(l -> l.contains("org.apache.camel:camel-http:jar:4.17.0"));
        for (String forbidden : List.of("org.apache.kafka:kafka_2.13", "org.scala-lang", "org.apache.zookeeper", "io.vertx",
                "ch.qos.logback", "org.apache.logging.log4j:log4j-core", "camel-platform-http", "camel-micrometer", "camel-main:",
                "org.jetbrains.kotlin")) {
            assertThat(bundle).as("brought by the bundle: " + forbidden).noneMatch(l -> l.contains(forbidden));
        }
        // every Camel module in the host is on the host's version
        assertThat(tree).filteredOn(l -> l.contains("org.apache.camel:")).allMatch(l -> l.contains(":4.17.0"));
    }

    /** The lines below the one containing {@code artifact}, down to the next line at its depth or above. */
    static List<String> subtree(List<String> tree, String artifact) {
        List<String> below = new ArrayList<>();
        int depth = -1;
        for (String line : tree) {
            int d = depth(line);
            if (depth < 0) {
                if (line.contains(artifact)) {
                    depth = d;
                }
            } else if (d > depth) {
                below.add(line);
            } else {
                break;
            }
        }
        return below;
    }

    private static int depth(String line) {
        int i = 0;
        while (i < line.length() && !Character.isLetterOrDigit(line.charAt(i))) {
            i++;
        }
        return i;
    }
}
