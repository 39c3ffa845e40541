package dev.llmhub.core.usage;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmhub.api.Cost;
import dev.llmhub.core.provider.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.ConcurrentHashMap;
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
    private final Map<String, Optional<ModelPrice>> cache = new ConcurrentHashMap<>();

    private PriceTable(Map<String, List<Entry>> byProvider) {
        this.byProvider = byProvider;
    }

    /** @return the table shipped with llmhub */
    public static PriceTable load() {
        try (InputStream in = PriceTable.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the class path");
            }
            JsonNode root = Json.MAPPER.readTree(in);
            Map<String, List<Entry>> out = new java.util.LinkedHashMap<>();
            for (JsonNode provider : root.path("providers")) {
                List<Entry> entries = new ArrayList<>();
                for (JsonNode m : provider.path("models")) {
                    JsonNode prices = m.path("prices");
                    entries.add(new Entry(matcher(m.path("match")), prices.path("input").asDouble(0) / PER_MILLION,
                            prices.path("output").asDouble(0) / PER_MILLION, perToken(prices.get("cache_read")),
                            perToken(prices.get("cache_write"))));
                }
                out.put(provider.path("id").asText(), List.copyOf(entries));
            }
            return new PriceTable(Map.copyOf(out));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static OptionalDouble perToken(JsonNode perMillion) {
        return perMillion != null && perMillion.isNumber() ? OptionalDouble.of(perMillion.asDouble() / PER_MILLION)
                : OptionalDouble.empty();
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
        String key = provider + "\n" + model;
        return cache.computeIfAbsent(key, k -> find(provider, model.toLowerCase(Locale.ROOT)));
    }

    private Optional<ModelPrice> find(String provider, String model) {
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

    private static Predicate<String> matcher(JsonNode rule) {
        if (rule.has("equals")) {
            String v = rule.get("equals").asText().toLowerCase(Locale.ROOT);
            return v::equals;
        }
        if (rule.has("starts_with")) {
            String v = rule.get("starts_with").asText().toLowerCase(Locale.ROOT);
            return s -> s.startsWith(v);
        }
        if (rule.has("ends_with")) {
            String v = rule.get("ends_with").asText().toLowerCase(Locale.ROOT);
            return s -> s.endsWith(v);
        }
        if (rule.has("contains")) {
            String v = rule.get("contains").asText().toLowerCase(Locale.ROOT);
            return s -> s.contains(v);
        }
        if (rule.has("regex")) {
            Pattern p = Pattern.compile(rule.get("regex").asText(), Pattern.CASE_INSENSITIVE);
            return s -> p.matcher(s).find();
        }
        if (rule.has("or")) {
            List<Predicate<String>> parts = new ArrayList<>();
            rule.get("or").forEach(r -> parts.add(matcher(r)));
            return s -> parts.stream().anyMatch(p -> p.test(s));
        }
        if (rule.has("and")) {
            List<Predicate<String>> parts = new ArrayList<>();
            rule.get("and").forEach(r -> parts.add(matcher(r)));
            return s -> parts.stream().allMatch(p -> p.test(s));
        }
        return s -> false;
    }
}
