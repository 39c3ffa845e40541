package dev.llmhub.core.record;

import dev.llmhub.api.CallRecord;
import dev.llmhub.core.journal.JournalCodec;

/**
 * Stores call records in the journal as their documented JSON ({@code docs/call-record.md}): the
 * bytes {@link CallRecordJson#write(Object)} produces, so a journal published elsewhere (a Kafka
 * topic) is readable by any tool that reads the documented form.
 *
 * <p>JSON rather than a binary format: measured against Jackson Smile in
 * {@code docs/journal-choice.md}, the difference did not pay for a second wire form.
 */
public final class CallRecordCodec implements JournalCodec<CallRecord> {
    /** Per-record overhead of the JSON keys and punctuation, for {@link #estimateSize}. */
    private static final long FIXED_BYTES = 900;

    @Override
    public byte[] encode(CallRecord value) {
        return CallRecordJson.bytes(value);
    }

    @Override
    public CallRecord decode(byte[] bytes) {
        return CallRecordJson.read(bytes);
    }

    /** Counts the strings that dominate a record (messages, choices) and a fixed part for the rest. */
    @Override
    public long estimateSize(CallRecord r) {
        long size = FIXED_BYTES + r.id().length() + r.model().length() + r.modelGroup().length();
        size += treeSize(r.messages()) + treeSize(r.requestParams()) + treeSize(r.metadata()) + treeSize(r.headers());
        if (r.response().isPresent()) {
            size += treeSize(r.response().get().choices());
        }
        if (r.error().isPresent()) {
            size += r.error().get().message().length();
        }
        for (dev.llmhub.api.Attempt a : r.attempts()) {
            size += 220 + a.url().map(String::length).orElse(0) + a.error().map(e -> e.message().length() + 120).orElse(0);
        }
        return size;
    }

    private static long treeSize(Object value) {
        return switch (value) {
            case null -> 4;
            case String s -> s.length() + 2L;
            case java.util.Map<?, ?> m -> {
                long n = 2;
                for (java.util.Map.Entry<?, ?> e : m.entrySet()) {
                    n += String.valueOf(e.getKey()).length() + 4L + treeSize(e.getValue());
                }
                yield n;
            }
            case java.util.List<?> l -> {
                long n = 2;
                for (Object o : l) {
                    n += 1 + treeSize(o);
                }
                yield n;
            }
            default -> 8;
        };
    }
}
