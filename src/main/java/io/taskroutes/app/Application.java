package io.taskroutes.app;

import org.apache.camel.main.Main;

import io.taskroutes.TaskRoutes;

/** Camel Main entry point: {@code java -jar task-routes.jar}, {@code ... send <operation> '<json>'}, or {@code ... watch}. */
public final class Application {

    private Application() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("send")) {
            System.exit(SendCommand.run(args));
        }
        if (args.length > 0 && args[0].equals("watch")) {
            System.exit(WatchEvents.run(args));
        }
        EnvironmentOverrides.apply();
        Main main = new Main();
        main.configure().addRoutesBuilder(new TaskRoutes());
        main.addMainListener(new Profiles());
        main.run(args);
    }
}
