package io.taskroutes;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Camel versions the library is built and tested against (README, "Embedding"). A host outside them stops
 * at start-up with the range named, instead of failing later on a missing Camel method; so does a host whose
 * build mixes Camel versions (the library's Camel modules resolved at another version than the host's core,
 * e.g. a Spring Boot build that imports camel-spring-boot-bom but not camel-bom). {@code
 * tasks.camel-version-check=false} lets a host try another version at its own risk.
 */
final class SupportedCamel {

    static final int MAJOR = 4;
    static final int MIN_MINOR = 17;
    static final int MAX_MINOR = 22;
    static final String RANGE = MAJOR + "." + MIN_MINOR + ".x to " + MAJOR + "." + MAX_MINOR + ".x";

    private static final Pattern VERSION = Pattern.compile("^(\\d+)\\.(\\d+)");

    /** A class of each Camel module the routes use; its jar's manifest says the module's version. */
    static final List<String> MODULES = List.of(
            "org.apache.camel.component.direct.DirectComponent",
            "org.apache.camel.component.bean.BeanComponent",
            "org.apache.camel.component.http.HttpComponent",
            "org.apache.camel.component.kafka.KafkaComponent",
            "org.apache.camel.component.jackson.JacksonDataFormat",
            "org.apache.camel.dsl.yaml.YamlRoutesBuilderLoader");

    private SupportedCamel() {
    }

    static boolean isSupported(String camelVersion) {
        Matcher m = VERSION.matcher(camelVersion == null ? "" : camelVersion);
        if (!m.find()) {
            return false;
        }
        int major = Integer.parseInt(m.group(1));
        int minor = Integer.parseInt(m.group(2));
        return major == MAJOR && minor >= MIN_MINOR && minor <= MAX_MINOR;
    }

    static void check(String camelVersion) {
        checkRange(camelVersion);
        List<String> mixed = new ArrayList<>();
        for (String module : MODULES) {
            String version = moduleVersion(module);
            if (version != null && !version.equals(camelVersion)) {
                mixed.add(module.substring(module.lastIndexOf('.') + 1) + " " + version);
            }
        }
        if (!mixed.isEmpty()) {
            throw new IllegalStateException("task-routes needs its Camel modules at the application's Camel version "
                    + camelVersion + ", but found " + String.join(", ", mixed) + ": import org.apache.camel:camel-bom "
                    + camelVersion + " in the build's dependencyManagement (with Spring Boot, beside camel-spring-boot-bom)");
        }
    }

    /** The Implementation-Version of the module's jar; null if absent (a repackaged jar) or not on the classpath. */
    static String moduleVersion(String className) {
        try {
            Package p = Class.forName(className, false, SupportedCamel.class.getClassLoader()).getPackage();
            return p == null ? null : p.getImplementationVersion();
        } catch (ClassNotFoundException | LinkageError e) {
            return null;
        }
    }

    private static void checkRange(String camelVersion) {
        if (!isSupported(camelVersion)) {
            throw new IllegalStateException("task-routes supports Apache Camel " + RANGE + ", but this application runs Camel "
                    + camelVersion + ": use a Camel version in that range (e.g. import camel-bom or camel-spring-boot-bom "
                    + MAJOR + "." + MIN_MINOR + ".0 to " + MAJOR + "." + MAX_MINOR + ".x), or set tasks.camel-version-check=false"
                    + " to start anyway at your own risk");
        }
    }
}
