package dev.llmhub.plugin.console;

import dev.llmhub.api.CallError;
import dev.llmhub.api.CallRecord;
import dev.llmhub.api.Usage;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * One call as one line a person reads at a glance, e.g.
 * <pre>{@code
 * 10:15:30.538 call success chat gpt-3.5-turbo -> openai 11+10=21 tokens $0.0000365 418 ms id=call-0b6f…
 * 10:15:31.204 call failure chat gpt-4o -> azure HTTP 429 rate_limit_error 11+0=11 tokens 1203 ms id=call-7c1a…
 * }</pre>
 * Only what the record says about the call itself: never messages, answers, headers, the caller
 * or its key. The id finds the whole record at the other destinations.
 */
final class SummaryLine {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneId.systemDefault());

    private SummaryLine() {
    }

    static String of(CallRecord r) {
        StringBuilder b = new StringBuilder(160)
                .append(TIME.format(r.endTime())).append(" call ")
                .append(r.status().wireName()).append(' ')
                .append(r.callType().wireName()).append(r.stream() ? " stream " : " ")
                .append(r.model());
        r.provider().ifPresent(p -> b.append(" -> ").append(p));
        r.error().ifPresent(e -> b.append(' ').append(error(e)));
        Usage u = r.usage();
        b.append(' ').append(u.promptTokens()).append('+').append(u.completionTokens()).append('=')
                .append(u.totalTokens()).append(" tokens");
        r.cost().ifPresent(c -> b.append(" $").append(plain(c.total())));
        b.append(' ').append(r.durationMs()).append(" ms");
        r.firstTokenTime().ifPresent(t -> b.append(" (first token ")
                .append(Duration.between(r.startTime(), t).toMillis()).append(" ms)"));
        return b.append(" id=").append(r.id()).toString();
    }

    /** Status and type only: a provider's message can quote the request. */
    private static String error(CallError e) {
        return e.httpStatus().map(s -> "HTTP " + s + " ").orElse("") + e.type();
    }

    /** 3.65E-5 as 0.0000365: the shortest digits that read back, without an exponent. */
    private static String plain(double amount) {
        return new BigDecimal(Double.toString(amount)).stripTrailingZeros().toPlainString();
    }
}
