package dev.llmhub.core.journal;

import java.nio.charset.StandardCharsets;

/** Strings as UTF-8, for journal tests; {@code fail} in a value makes encoding throw. */
final class StringCodec implements JournalCodec<String> {
    @Override
    public byte[] encode(String value) {
        if (value.startsWith("fail")) {
            throw new IllegalArgumentException("this codec refuses values starting with 'fail'");
        }
        return value.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String decode(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @Override
    public long estimateSize(String value) {
        return value.length();
    }
}
