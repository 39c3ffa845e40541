package dev.llmhub.core.usage;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.llmhub.api.Cost;
import dev.llmhub.plugin.kit.BoundedMemo;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The model price table shipped as {@code prices.json} (trimmed from pydantic's genai-prices, see
 * {@code prices.SOURCE.md}): input, output, cache-read and cache-write prices. Lookups match the provider's models first, then every provider's, using
 * genai-prices' own match rules (equals, starts_with, ends_with, contains, regex, or, and).
 */
public final class PriceTable {
    private static final String RESOURCE = "prices.json";
    private static final double PER_MILLION = 1_000_000d;

    private record Entry(Predicate<String> match, double input, double output, OptionalDouble cacheRead,
                         OptionalDouble cacheWrite) {
    }

    private final Map<String, List<Entry>> byProvider;
    // Keyed by the model an upstream reports, which the proxy does not choose: bounded.
    private final BoundedMemo<Lookup, Optional<ModelPrice>> cache = new BoundedMemo<>(1024, this::find);

    /** A lookup: the provider and the lower-cased model. */
    private record Lookup(String provider, String model) {
    }

    private PriceTable(Map<String, List<Entry>> byProvider) {
        this.byProvider = byProvider;
    }

    /** @return the table shipped with llmhub */
    public static PriceTable load() {
        // Read as a stream of tokens into the entries: no tree of 190 kB of nodes, and no ObjectMapper,
        // whose first use (date formats, locale data) the first request pays instead of the start.
        try (InputStream in = PriceTable.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the class path");
            }
            return read(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return the table in {@code in}, in genai-prices' {@code data_slim.json} shape */
    static PriceTable read(InputStream in) throws IOException {
        try (JsonParser p = new JsonFactory().createParser(in)) {
            Map<String, List<Entry>> out = new java.util.LinkedHashMap<>();
            expect(p.nextToken(), JsonToken.START_OBJECT, p);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                if (p.nextToken() == JsonToken.START_ARRAY && field.equals("providers")) {
                    while (p.nextToken() == JsonToken.START_OBJECT) {
                        provider(p, out);
                    }
                } else {
                    p.skipChildren();
                }
            }
            return new PriceTable(Map.copyOf(out));
        }
    }

    /** Reads one provider (the parser on its START_OBJECT): {@code {"id", "models": [...]}}. */
    private static void provider(JsonParser p, Map<String, List<Entry>> out) throws IOException {
        String id = "";
        List<Entry> entries = new ArrayList<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            if (field.equals("id") && value == JsonToken.VALUE_STRING) {
                id = p.getText();
            } else if (field.equals("models") && value == JsonToken.START_ARRAY) {
                while (p.nextToken() == JsonToken.START_OBJECT) {
                    entries.add(model(p));
                }
            } else {
                p.skipChildren();
            }
        }
        out.put(id, List.copyOf(entries));
    }

    /** Reads one model (the parser on its START_OBJECT): {@code {"match": rule, "prices": {...}}}. */
    private static Entry model(JsonParser p) throws IOException {
        Predicate<String> match = s -> false;
        double input = 0;
        double output = 0;
        OptionalDouble cacheRead = OptionalDouble.empty();
        OptionalDouble cacheWrite = OptionalDouble.empty();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            if (field.equals("match") && value == JsonToken.START_OBJECT) {
                match = matcher(p);
            } else if (field.equals("prices") && value == JsonToken.START_OBJECT) {
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String price = p.currentName();
                    OptionalDouble perToken = p.nextToken().isNumeric()
                            ? OptionalDouble.of(p.getDoubleValue() / PER_MILLION) : OptionalDouble.empty();
                    p.skipChildren();
                    switch (price) {
                        case "input" -> input = perToken.orElse(0);
                        case "output" -> output = perToken.orElse(0);
                        case "cache_read" -> cacheRead = perToken;
                        case "cache_write" -> cacheWrite = perToken;
                        default -> { }
                    }
                }
            } else {
                p.skipChildren();
            }
        }
        return new Entry(match, input, output, cacheRead, cacheWrite);
    }

    private static void expect(JsonToken actual, JsonToken expected, JsonParser p) throws IOException {
        if (actual != expected) {
            throw new JsonParseException(p, RESOURCE + ": expected " + expected + ", found " + actual);
        }
    }

    /**
     * @param provider llmhub provider name (openai, azure…)
     * @param model    the model name as sent upstream or reported by the provider
     * @return its prices, when the table knows the model
     */
    public Optional<ModelPrice> lookup(String provider, String model) {
        if (model == null || model.isBlank()) {
            return Optional.empty();
        }
        return cache.get(new Lookup(provider, model.toLowerCase(Locale.ROOT)));
    }

    private Optional<ModelPrice> find(Lookup l) {
        String provider = l.provider();
        String model = l.model();
        Optional<ModelPrice> hit = match(byProvider.getOrDefault(provider, List.of()), model);
        if (hit.isEmpty() && !"openai".equals(provider)) {
            hit = match(byProvider.getOrDefault("openai", List.of()), model);
        }
        if (hit.isEmpty()) {
            for (List<Entry> entries : byProvider.values()) {
                hit = match(entries, model);
                if (hit.isPresent()) {
                    break;
                }
            }
        }
        return hit;
    }

    private static Optional<ModelPrice> match(List<Entry> entries, String model) {
        for (Entry e : entries) {
            if (e.match.test(model)) {
                return Optional.of(new ModelPrice(e.input, e.output, e.cacheRead, e.cacheWrite, Cost.Source.PRICE_TABLE));
            }
        }
        return Optional.empty();
    }

    /**
     * Reads one match rule (the parser on its START_OBJECT), genai-prices' rules: {@code equals},
     * {@code starts_with}, {@code ends_with}, {@code contains}, {@code regex}, or {@code or} / {@code and}
     * of rules. A rule of none of these matches nothing, and so does an object of more than one rule
     * (the schema allows exactly one; guessing whether two mean "and" or "or" could price a call wrongly).
     */
    private static Predicate<String> matcher(JsonParser p) throws IOException {
        Predicate<String> rule = s -> false;
        int rules = 0;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            rules++;
            String kind = p.currentName();
            JsonToken value = p.nextToken();
            if (value == JsonToken.START_ARRAY && (kind.equals("or") || kind.equals("and"))) {
                List<Predicate<String>> parts = new ArrayList<>();
                while (p.nextToken() == JsonToken.START_OBJECT) {
                    parts.add(matcher(p));
                }
                rule = kind.equals("or") ? s -> parts.stream().anyMatch(r -> r.test(s))
                        : s -> parts.stream().allMatch(r -> r.test(s));
            } else if (value == JsonToken.VALUE_STRING) {
                String v = p.getText();
                String lower = v.toLowerCase(Locale.ROOT);
                switch (kind) {
                    case "equals" -> rule = lower::equals;
                    case "starts_with" -> rule = s -> s.startsWith(lower);
                    case "ends_with" -> rule = s -> s.endsWith(lower);
                    case "contains" -> rule = s -> s.contains(lower);
                    case "regex" -> {
                        Pattern pattern = Pattern.compile(v, Pattern.CASE_INSENSITIVE);
                        rule = s -> pattern.matcher(s).find();
                    }
                    default -> { }
                }
            } else {
                p.skipChildren();
            }
        }
        return rules == 1 ? rule : s -> false;
    }
}
