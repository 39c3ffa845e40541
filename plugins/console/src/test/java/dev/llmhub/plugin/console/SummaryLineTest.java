package dev.llmhub.plugin.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmhub.api.CallRecord;
import dev.llmhub.core.record.SampleRecords;
import org.junit.jupiter.api.Test;

class SummaryLineTest {

    /** @return the line without its leading local time, after checking the time's shape */
    private static String withoutTime(CallRecord r) {
        String line = SummaryLine.of(r);
        assertTrue(line.matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} .*"), line);
        return line.substring(13);
    }

    @Test
    void aSuccess() {
        CallRecord r = SampleRecords.seedSuccess().build();
        assertEquals("call success chat gpt-3.5-turbo -> openai 11+10=21 tokens $0.0000365 418 ms id=" + r.id(), withoutTime(r));
    }

    @Test
    void aFailureShowsStatusAndTypeNotTheMessage() {
        CallRecord r = SampleRecords.rateLimitedFailure().build();
        assertEquals("call failure chat gpt-3.5-turbo -> openai HTTP 429 rate_limit_error 11+0=11 tokens 418 ms id=" + r.id(),
                withoutTime(r));
    }

    @Test
    void aStreamShowsItsFirstToken() {
        CallRecord ok = SampleRecords.seedSuccess().build();
        CallRecord r = ok.toBuilder().stream(true).firstTokenTime(ok.startTime().plusMillis(120)).build();
        assertTrue(withoutTime(r).startsWith("call success chat stream gpt-3.5-turbo -> openai "), SummaryLine.of(r));
        assertTrue(withoutTime(r).endsWith(" 418 ms (first token 120 ms) id=" + r.id()), SummaryLine.of(r));
    }

    @Test
    void aCallThatNeverReachedAProviderHasNoArrowAndNoCost() {
        CallRecord r = SampleRecords.rateLimitedFailure().provider(null).build();
        assertTrue(withoutTime(r).startsWith("call failure chat gpt-3.5-turbo HTTP 429 "), SummaryLine.of(r));
    }
}
