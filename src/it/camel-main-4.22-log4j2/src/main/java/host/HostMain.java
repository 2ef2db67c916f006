package host;

import org.apache.camel.main.Main;

/** The host's entry point; the bundle is named in its application.properties (camel.main.routes-builder-classes). */
public final class HostMain {

    private HostMain() {
    }

    public static void main(String[] args) throws Exception {
        new Main().run(args);
    }
}
