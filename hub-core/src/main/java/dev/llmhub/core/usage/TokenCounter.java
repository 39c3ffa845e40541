package dev.llmhub.core.usage;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingType;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Counts tokens the way OpenAI bills chat requests (the OpenAI cookbook's
 * {@code num_tokens_from_messages}): 3 tokens per message, the tokens of every field value, 1 more
 * for a {@code name}, and 3 to prime the reply. Used for the mock provider and for upstreams that
 * report no usage. Thread-safe; the encodings load once.
 */
public final class TokenCounter {
    private static final int TOKENS_PER_MESSAGE = 3;
    private static final int TOKENS_PER_NAME = 1;
    private static final int REPLY_PRIMING = 3;

    /** Loaded on first use: the two tables take about a second, which start-up should not wait for. */
    private final EncodingRegistry registry = Encodings.newLazyEncodingRegistry();
    private volatile Encoding cl100k;
    private volatile Encoding o200k;

    /**
     * Loads now, rather than on the first count, the tables of the encodings these models count with
     * (each table is about half a second of CPU; the other loads on first use).
     *
     * @param models upstream model names, as the counting methods take them
     */
    public void warmUp(Collection<String> models) {
        models.stream().map(this::encodingFor).distinct().forEach(e -> e.countTokensOrdinary("warm up"));
    }

    /** @return the encodings whose tables are loaded, by name (for tests) */
    List<String> loaded() {
        return Stream.of(cl100k, o200k).filter(Objects::nonNull).map(Encoding::getName).toList();
    }

    private Encoding cl100k() {
        Encoding e = cl100k;
        return e != null ? e : (cl100k = registry.getEncoding(EncodingType.CL100K_BASE)); // the registry loads once
    }

    private Encoding o200k() {
        Encoding e = o200k;
        return e != null ? e : (o200k = registry.getEncoding(EncodingType.O200K_BASE));
    }

    /** @return the tokens of a chat request's {@code messages} */
    public long chatPrompt(String model, List<?> messages) {
        Encoding enc = encodingFor(model);
        long n = 0;
        for (Object m : messages) {
            n += TOKENS_PER_MESSAGE;
            if (m instanceof Map<?, ?> message) {
                for (Map.Entry<?, ?> e : message.entrySet()) {
                    n += valueTokens(enc, e.getValue());
                    if ("name".equals(e.getKey())) {
                        n += TOKENS_PER_NAME;
                    }
                }
            }
        }
        return n + REPLY_PRIMING;
    }

    /** @return the tokens of plain text (a completion, a legacy prompt) */
    public long text(String model, String text) {
        return text == null || text.isEmpty() ? 0 : encodingFor(model).countTokensOrdinary(text);
    }

    /** @return the tokens of a legacy prompt or embedding input: a string, a list of strings or of token ids */
    public long input(String model, Object input) {
        if (input instanceof String s) {
            return text(model, s);
        }
        if (input instanceof List<?> list) {
            long n = 0;
            for (Object o : list) {
                n += o instanceof Number ? 1 : input(model, o);
            }
            return n;
        }
        return 0;
    }

    private long valueTokens(Encoding enc, Object value) {
        if (value == null) {
            return 0;
        }
        if (value instanceof String s) {
            return enc.countTokensOrdinary(s);
        }
        if (value instanceof List<?> parts) {
            // content parts: count the text ones; images etc. are not estimated here
            long n = 0;
            for (Object p : parts) {
                if (p instanceof Map<?, ?> part && part.get("text") instanceof String t) {
                    n += enc.countTokensOrdinary(t);
                } else if (p instanceof Map<?, ?> part) {
                    n += valueTokens(enc, part.toString());
                }
            }
            return n;
        }
        return enc.countTokensOrdinary(String.valueOf(value));
    }

    private Encoding encodingFor(String model) {
        String m = model == null ? "" : model.toLowerCase(Locale.ROOT);
        int slash = m.lastIndexOf('/');
        if (slash >= 0) {
            m = m.substring(slash + 1);
        }
        if (m.startsWith("gpt-4o") || m.startsWith("gpt-4.1") || m.startsWith("gpt-4.5") || m.startsWith("gpt-5")
                || m.startsWith("chatgpt-4o") || m.matches("o[1-9].*")) {
            return o200k();
        }
        return cl100k();
    }
}
