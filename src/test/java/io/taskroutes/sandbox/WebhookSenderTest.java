package io.taskroutes.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WebhookSenderTest {

    private static final WebhookSender.Policy ONCE = new WebhookSender.Policy(0, null, Duration.ofSeconds(5), 0,
            WebhookSender.Acceptance.ANY_2XX);

    private WebhookReceiver receiver;
    private WebhookSender sender;
    private ExecutorService requestThread;

    @BeforeEach
    void start() {
        receiver = WebhookReceiver.start();
        sender = new WebhookSender("webhook-sender-test");
        requestThread = Executors.newSingleThreadExecutor();
    }

    @AfterEach
    void stop() {
        requestThread.shutdownNow();
        sender.close();
        receiver.close();
    }

    private void send(String text) {
        sender.send("test", text.getBytes(StandardCharsets.UTF_8), Map.of("X-Test", text), ONCE);
    }

    @Test
    void aChangeIsSentOnlyOnceItsCallIsAnsweredAndLaterChangesWaitForIt() throws Exception {
        sender.baseUrl(receiver.url() + "/");
        CountDownLatch changed = new CountDownLatch(1);
        CountDownLatch answered = new CountDownLatch(1);
        Future<?> call = requestThread.submit(() -> {
            sender.beginRequest();
            try {
                send("first");
                changed.countDown();
                answered.await();
            } finally {
                sender.endRequest();
            }
            return null;
        });
        assertThat(changed.await(5, TimeUnit.SECONDS)).isTrue();
        send("second"); // outside any call: ready at once, but after "first" in the order of changes

        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2))
                .until(() -> receiver.received("test").isEmpty());
        answered.countDown();
        call.get(5, TimeUnit.SECONDS);

        await().atMost(Duration.ofSeconds(5)).until(() -> sender.deliveries().size() == 2);
        assertThat(receiver.received("test")).extracting(WebhookReceiver.Received::bodyString)
                .containsExactly("first", "second");
        assertThat(receiver.received("test").get(0).header("X-Test")).isEqualTo("first");
        assertThat(sender.deliveries()).extracting(WebhookDelivery::url).containsOnly(receiver.url() + "/test");
    }

    @Test
    void nothingIsSentWhileOffAndResetForgetsDeliveries() throws Exception {
        assertThat(sender.enabled()).isFalse();
        send("dropped");
        sender.baseUrl(receiver.url());
        assertThat(sender.enabled()).isTrue();
        send("kept");

        await().atMost(Duration.ofSeconds(5)).until(() -> sender.deliveries().size() == 1);
        assertThat(receiver.received("test")).extracting(WebhookReceiver.Received::bodyString).containsExactly("kept");

        sender.reset();
        assertThat(sender.deliveries()).isEmpty();
        sender.baseUrl(" ");
        assertThat(sender.enabled()).isFalse();
    }
}
