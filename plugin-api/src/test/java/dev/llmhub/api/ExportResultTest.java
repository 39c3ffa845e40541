package dev.llmhub.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ExportResultTest {

    @ParameterizedTest
    @ValueSource(ints = {200, 201, 202, 204, 299})
    void everyTwoHundredIsASuccess(int status) {
        assertEquals(ExportResult.success(), ExportResult.fromHttpStatus(status, Optional.of("30"), "sink"));
    }

    @ParameterizedTest
    @ValueSource(ints = {408, 429, 500, 502, 503, 504})
    void overloadAndOutagesAreRetryableAfterTheServersDelay(int status) {
        ExportResult.Retryable r = assertInstanceOf(ExportResult.Retryable.class,
                ExportResult.fromHttpStatus(status, Optional.of("7"), "sink example.com"));
        assertEquals(Duration.ofSeconds(7), r.after());
        assertEquals("HTTP " + status + ": sink example.com", r.reason());
        assertTrue(ExportResult.isRetryableHttpStatus(status));
    }

    @Test
    void withoutRetryAfterTheWaitIsLeftToTheBackoff() {
        ExportResult.Retryable r = assertInstanceOf(ExportResult.Retryable.class,
                ExportResult.fromHttpStatus(503, Optional.empty(), "sink"));
        assertEquals(Duration.ZERO, r.after());
        ExportResult.Retryable unreadable = assertInstanceOf(ExportResult.Retryable.class,
                ExportResult.fromHttpStatus(429, Optional.of("soon"), "sink"));
        assertEquals(Duration.ZERO, unreadable.after());
    }

    @ParameterizedTest
    @ValueSource(ints = {100, 301, 400, 401, 403, 404, 409, 413, 422, 501, 505})
    void everythingElseIsPermanent(int status) {
        ExportResult.Permanent p = assertInstanceOf(ExportResult.Permanent.class,
                ExportResult.fromHttpStatus(status, Optional.of("7"), "sink"));
        assertEquals("HTTP " + status + ": sink", p.reason());
    }

    @Test
    void retryAfterInSeconds() {
        assertEquals(Optional.of(Duration.ZERO), ExportResult.parseRetryAfter("0"));
        assertEquals(Optional.of(Duration.ofSeconds(12)), ExportResult.parseRetryAfter(" 12 "));
        assertEquals(Optional.of(Duration.ofSeconds(86_400)), ExportResult.parseRetryAfter("86400"));
    }

    @Test
    void retryAfterAsAnHttpDate() {
        DateTimeFormatter http = DateTimeFormatter.RFC_1123_DATE_TIME;
        ZonedDateTime inAnHour = ZonedDateTime.now(ZoneOffset.UTC).plusHours(1);
        Duration wait = ExportResult.parseRetryAfter(http.format(inAnHour)).orElseThrow();
        // The header has whole seconds and the clock moves on while the test runs: 59 to 60 minutes.
        assertTrue(wait.compareTo(Duration.ofMinutes(59)) > 0 && wait.compareTo(Duration.ofHours(1)) <= 0, wait.toString());
        assertEquals(Optional.of(Duration.ZERO), ExportResult.parseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT"),
                "a date already past means: retry now");
    }

    @Test
    void anUnreadableRetryAfterIsIgnored() {
        for (String v : new String[] {null, "", "  ", "-1", "1.5", "soon", "Wed, 32 Oct 2015 07:28:00 GMT"}) {
            assertEquals(Optional.empty(), ExportResult.parseRetryAfter(v), "'" + v + "'");
        }
    }

    @Test
    void aPartialResultNarrowsToTheFailedRecords() {
        assertEquals(ExportResult.success(), ExportResult.partial(Map.of()));
        ExportResult.Partial p = assertInstanceOf(ExportResult.Partial.class,
                ExportResult.partial(Map.of("call-1", ExportResult.permanent("rejected"))));
        assertEquals(Map.of("call-1", new ExportResult.Permanent("rejected")), p.failures());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ExportResult.partial(Map.of("call-1", ExportResult.success())));
        assertTrue(e.getMessage().startsWith("a partial failure must be Retryable or Permanent"), e.getMessage());
    }

    @Test
    void nullArgumentsAreNamed() {
        assertEquals("retryAfter is null",
                assertThrows(NullPointerException.class, () -> ExportResult.fromHttpStatus(503, null, "x")).getMessage());
        assertEquals("reason is null",
                assertThrows(NullPointerException.class, () -> ExportResult.fromHttpStatus(503, Optional.empty(), null)).getMessage());
        assertEquals("reason is null", assertThrows(NullPointerException.class, () -> ExportResult.retryable(null)).getMessage());
        assertEquals("after is null", assertThrows(NullPointerException.class, () -> ExportResult.retryAfter(null, "x")).getMessage());
        assertEquals("reason is null", assertThrows(NullPointerException.class, () -> ExportResult.permanent(null)).getMessage());
        assertEquals("failures is null", assertThrows(NullPointerException.class, () -> ExportResult.partial(null)).getMessage());
    }
}
