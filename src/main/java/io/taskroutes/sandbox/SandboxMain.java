package io.taskroutes.sandbox;

import java.util.concurrent.CountDownLatch;

/**
 * Runs the provider sandbox by hand: {@code SandboxMain [port [webhook-base-url]]} (default 0 = a free port; with a
 * base URL, Pyrus, Worksection and Tracker changes are POSTed to {@code <base>/<provider>}); Ctrl-C stops it.
 */
public final class SandboxMain {

    private SandboxMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        int port = args.length > 0 ? Integer.parseInt(args[0].trim()) : 0;
        ProviderSandbox sandbox = ProviderSandbox.start(port);
        sandbox.pixflow().autoProgress(java.time.Duration.ofSeconds(2)); // created jobs finish by themselves
        if (args.length > 1) {
            sandbox.webhooks(args[1]);
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            sandbox.close();
            stopped.countDown();
        }, "provider-sandbox-shutdown"));
        System.out.println("Provider sandbox on 127.0.0.1:" + sandbox.port());
        System.out.println("  pixflow       " + sandbox.baseUrl("pixflow") + "   (Bearer " + ProviderSandbox.PIXFLOW_TOKEN + ")");
        System.out.println("  pyrus         " + sandbox.baseUrl("pyrus"));
        System.out.println("  pyrus auth    " + sandbox.pyrusAuthUrl() + "   (login " + ProviderSandbox.PYRUS_LOGIN
                + ", security_key " + ProviderSandbox.PYRUS_SECURITY_KEY + ")");
        if (args.length > 1) {
            System.out.println("  webhooks to   " + args[1].trim() + "/<provider>");
        }
        System.out.flush();
        stopped.await();
    }
}
