package host;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * The host's whole dependency tree (target/dependency-tree.txt, written before the build): with camel-main and
 * log4j2 of its own, everything else came with the bundle, so none of these may be there.
 */
class DependencyTreeTest {

    @Test
    void theBundleBringsNoBrokerScalaZooKeeperVertxLoggingBackendOrManagementServer() throws Exception {
        List<String> tree = Files.readAllLines(Path.of("target", "dependency-tree.txt"));
        assertTrue(tree.stream().anyMatch(l -> l.contains("io.taskroutes:task-routes:jar:")), String.join("\n", tree));
        for (String forbidden : List.of("org.apache.kafka:kafka_2.13", "org.scala-lang", "org.apache.zookeeper", "io.vertx",
                "ch.qos.logback", "camel-platform-http", "camel-micrometer", "io.micrometer", "camel-kamelet",
                "camel-resilience4j", "org.springframework", "org.jetbrains.kotlin")) {
            assertTrue(tree.stream().noneMatch(l -> l.contains(forbidden)), forbidden + " in\n" + String.join("\n", tree));
        }
        // every Camel module resolved at the host's version, none at the bundle's 4.18
        assertTrue(tree.stream().filter(l -> l.contains("org.apache.camel:")).allMatch(l -> l.contains(":4.22.0")), String.join("\n", tree));
    }
}
