package dev.llmhub.core.record;

import dev.llmhub.api.ApiKeyInfo;
import dev.llmhub.api.Attempt;
import dev.llmhub.api.CallError;
import dev.llmhub.api.CallRecord;
import dev.llmhub.api.CallStatus;
import dev.llmhub.api.CallType;
import dev.llmhub.api.Cost;
import dev.llmhub.api.ProxyInfo;
import dev.llmhub.api.ResponseContent;
import dev.llmhub.api.Usage;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * Seeded random call records: every optional part present or absent, nested JSON content of every
 * JSON type (as Jackson parses it: Integer, Long, BigInteger, Double, String, Boolean, null, maps,
 * lists), non-ASCII text, nanosecond times. For round-trip tests of the codec.
 */
public final class RandomRecords {
    private static final String[] WORDS = {"good", "morning", "sir", "é", "日本語", "emoji 😀", "quote \"x\"",
        "back\\slash", "new\nline", "tab\t", "", "control \u0001", "[REDACTED]"};
    private final Random random;

    /** @param seed the seed: the same seed gives the same records */
    public RandomRecords(long seed) {
        random = new Random(seed);
    }

    /** @return the next random record */
    public CallRecord next() {
        Instant start = Instant.ofEpochSecond(1_700_000_000L + random.nextInt(100_000_000), random.nextInt(1_000_000_000));
        Instant end = start.plusNanos(random.nextInt(2_000_000_000));
        CallRecord.Builder b = CallRecord.builder()
                .id("call-" + Long.toHexString(random.nextLong()))
                .schemaVersion(1 + random.nextInt(3))
                .traceId(hex(32))
                .spanId(hex(16))
                .parentSpanId(maybe(hex(16)))
                .callType(CallType.values()[random.nextInt(CallType.values().length)])
                .stream(random.nextBoolean())
                .model(text())
                .modelGroup(text())
                .deployment(maybe(text()))
                .provider(maybe(text()))
                .apiBase(maybe("https://" + text()))
                .responseModel(maybe(text()))
                .attempts(attempts(start, end))
                .messages(listOfMaps(3))
                .requestParams(map(2))
                .usage(new Usage(random.nextInt(5000), random.nextInt(5000), random.nextLong(1L << 40),
                        random.nextInt(10), random.nextInt(10), Usage.Source.values()[random.nextInt(2)]))
                .cost(random.nextBoolean() ? null : new Cost(random.nextDouble(), random.nextDouble() * 1e-6,
                        random.nextDouble(), "USD", Cost.Source.values()[random.nextInt(2)]))
                .startTime(start)
                .endTime(end)
                .firstTokenTime(random.nextBoolean() ? null : start.plusNanos(random.nextInt(1000)))
                .upstreamLatencyMs(random.nextInt(10_000))
                .overheadMs(random.nextInt(100))
                .user(maybe(text()))
                .endUser(maybe(text()))
                .apiKey(random.nextBoolean() ? null : new ApiKeyInfo(hex(64), Optional.ofNullable(maybe(text()))))
                .clientIp(maybe("10.0.0." + random.nextInt(255)))
                .userAgent(maybe(text()))
                .metadata(map(3))
                .headers(headers())
                .proxy(new ProxyInfo(text(), text()));
        if (random.nextInt(3) == 0) {
            b.failure(error()).response(null);
        } else {
            b.success().response(random.nextBoolean() ? null : new ResponseContent("chatcmpl-" + hex(8),
                    random.nextLong(), listOfMaps(2), List.of(text(), text()), Optional.ofNullable(maybe(text()))));
        }
        return b.build();
    }

    private List<Attempt> attempts(Instant start, Instant end) {
        List<Attempt> out = new ArrayList<>();
        for (int i = random.nextInt(3); i > 0; i--) {
            boolean ok = random.nextBoolean();
            out.add(new Attempt(text(), text(), start, end, ok ? CallStatus.SUCCESS : CallStatus.FAILURE,
                    ok ? Optional.empty() : Optional.of(error())));
        }
        return out;
    }

    private CallError error() {
        return new CallError(text(), text(), random.nextBoolean() ? Optional.of(400 + random.nextInt(200)) : Optional.empty(),
                Optional.ofNullable(maybe(text())), random.nextBoolean());
    }

    private Map<String, String> headers() {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = random.nextInt(5); i > 0; i--) {
            out.put("x-" + text(), random.nextInt(8) == 0 ? null : text());
        }
        return out;
    }

    private List<Map<String, Object>> listOfMaps(int depth) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (int i = random.nextInt(4); i > 0; i--) {
            out.add(map(depth));
        }
        return out;
    }

    private Map<String, Object> map(int depth) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = random.nextInt(5); i > 0; i--) {
            out.put(text() + i, value(depth));
        }
        return out;
    }

    private Object value(int depth) {
        int kind = random.nextInt(depth > 0 ? 10 : 8);
        return switch (kind) {
            case 0 -> null;
            case 1 -> random.nextBoolean();
            case 2 -> random.nextInt();
            case 3 -> random.nextLong(1L << 33, Long.MAX_VALUE);
            case 4 -> BigInteger.valueOf(Long.MAX_VALUE).multiply(BigInteger.valueOf(1 + random.nextInt(1000)));
            case 5 -> random.nextDouble() * Math.pow(10, random.nextInt(40) - 20);
            case 6, 7 -> text();
            case 8 -> map(depth - 1);
            default -> {
                List<Object> l = new ArrayList<>();
                for (int i = random.nextInt(4); i > 0; i--) {
                    l.add(value(depth - 1));
                }
                yield l;
            }
        };
    }

    private String text() {
        StringBuilder s = new StringBuilder();
        for (int i = 1 + random.nextInt(3); i > 0; i--) {
            s.append(WORDS[random.nextInt(WORDS.length)]).append(' ');
        }
        return s.toString();
    }

    private String maybe(String s) {
        return random.nextBoolean() ? s : null;
    }

    private String hex(int chars) {
        StringBuilder s = new StringBuilder();
        while (s.length() < chars) {
            s.append(Long.toHexString(random.nextLong() | Long.MIN_VALUE));
        }
        return s.substring(0, chars);
    }
}
