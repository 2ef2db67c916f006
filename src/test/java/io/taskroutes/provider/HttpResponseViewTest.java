package io.taskroutes.provider;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;

import org.junit.jupiter.api.Test;

class HttpResponseViewTest {

    @Test
    void retryAfterInSecondsOrAsHttpDate() {
        assertThat(new HttpResponseView(429, Map.of("retry-after", "7"), new byte[0]).retryAfter()).hasValueSatisfying(d -> assertThat(d).hasSeconds(7));
        String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(java.time.ZoneOffset.UTC).plusSeconds(20));
        assertThat(new HttpResponseView(503, Map.of("retry-after", date), new byte[0]).retryAfter())
                .hasValueSatisfying(d -> assertThat(d.toSeconds()).isBetween(17L, 20L));
        assertThat(new HttpResponseView(503, Map.of("retry-after", "soon"), new byte[0]).retryAfter()).isEmpty();
    }
}
