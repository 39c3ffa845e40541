package dev.llmhub.plugin.otel.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The semantic conventions v1.41.1 as copied into {@code src/test/resources/semconv} (SOURCE.md there):
 * attribute registry, span/event/metric definitions with their attributes resolved through
 * {@code extends}, the metrics' advised buckets and the content JSON Schemas. Read from the files
 * only, so updating the copy updates what the conformance test demands.
 */
final class Semconv {
    private static final String ROOT = "/semconv/";
    private static final List<String> MODEL_FILES = List.of(
            "model/gen-ai/registry.yaml", "model/gen-ai/deprecated/registry-deprecated.yaml",
            "model/gen-ai/spans.yaml", "model/gen-ai/events.yaml", "model/gen-ai/metrics.yaml",
            "model/http/registry.yaml", "model/http/common.yaml", "model/http/spans.yaml",
            "model/server/registry.yaml", "model/url/registry.yaml", "model/error/registry.yaml",
            "model/openai/registry.yaml", "model/client/registry.yaml", "model/user/registry.yaml",
            "model/user-agent/registry.yaml", "model/network/registry.yaml");

    /** How much an attribute is asked for, with the spec's condition text when it has one. */
    enum Level { REQUIRED, CONDITIONALLY_REQUIRED, RECOMMENDED, OPT_IN }

    record Requirement(Level level, String condition) {
    }

    /**
     * @param type       {@code string}, {@code int}, {@code double}, {@code boolean}, {@code string[]},
     *                   {@code any}, a {@code template[…]} or {@code enum}
     * @param members    an enum's well-known values
     * @param deprecated whether the registry marks it deprecated
     */
    record Attribute(String id, String type, Set<String> members, boolean deprecated) {
    }

    /** A span, event, metric or attribute group definition, its own attributes in file order. */
    record Group(String id, String type, Optional<String> extendsId, Optional<String> spanKind, Optional<String> name,
                 Optional<String> instrument, Optional<String> unit, Map<String, Optional<Requirement>> own) {
    }

    private final Map<String, Attribute> registry = new HashMap<>();
    private final Map<String, Group> groups = new HashMap<>();
    private final Map<String, List<Double>> buckets = new HashMap<>();
    private final Map<String, Schema> contentSchemas = new HashMap<>();
    private final String schemaUrl;

    Semconv() {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        for (String file : MODEL_FILES) {
            JsonNode root = read(yaml, file);
            for (JsonNode g : root.path("groups")) {
                Map<String, Optional<Requirement>> own = new LinkedHashMap<>();
                for (JsonNode a : g.path("attributes")) {
                    if (a.has("id")) {
                        registry.put(a.get("id").asText(), attribute(a));
                    } else {
                        own.put(a.get("ref").asText(), requirement(a.get("requirement_level")));
                    }
                }
                groups.put(g.get("id").asText(), new Group(g.get("id").asText(), g.path("type").asText(),
                        text(g, "extends"), text(g, "span_kind"), text(g, g.has("metric_name") ? "metric_name" : "name"),
                        text(g, "instrument"), text(g, "unit"), own));
            }
        }
        readBuckets();
        SchemaRegistry schemas = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
        for (String[] c : new String[][] {{"gen_ai.input.messages", "gen-ai-input-messages.json"},
                {"gen_ai.output.messages", "gen-ai-output-messages.json"},
                {"gen_ai.system_instructions", "gen-ai-system-instructions.json"},
                {"gen_ai.tool.definitions", "gen-ai-tool-definitions.json"}}) {
            contentSchemas.put(c[0], schemas.getSchema(new String(bytes("docs/gen-ai/" + c[1]), StandardCharsets.UTF_8)));
        }
        Matcher m = Pattern.compile("(?m)^schema_url: (\\S+)$").matcher(new String(bytes("schemas/1.41.0"), StandardCharsets.UTF_8));
        if (!m.find()) {
            throw new IllegalStateException("schemas/1.41.0 names no schema_url");
        }
        schemaUrl = m.group(1);
    }

    /** @return the registry's definition of an attribute, if it has one */
    Optional<Attribute> attribute(String id) {
        return Optional.ofNullable(registry.get(id));
    }

    Group group(String id) {
        Group g = groups.get(id);
        if (g == null) {
            throw new IllegalArgumentException("no group " + id + " in the copied conventions");
        }
        return g;
    }

    /**
     * @return every attribute the group asks for, its parents' first; a child's reference overrides the
     *         requirement level it restates, and an attribute first named without one is recommended
     */
    Map<String, Requirement> attributesOf(String groupId) {
        Group g = group(groupId);
        Map<String, Requirement> out = g.extendsId().map(p -> new LinkedHashMap<>(attributesOf(p))).orElseGet(LinkedHashMap::new);
        g.own().forEach((id, level) -> {
            if (level.isPresent()) {
                out.put(id, level.get());
            } else {
                out.putIfAbsent(id, new Requirement(Level.RECOMMENDED, ""));
            }
        });
        return out;
    }

    /** @return the advised bucket boundaries of a metric, from gen-ai-metrics.md */
    List<Double> buckets(String metric) {
        List<Double> b = buckets.get(metric);
        if (b == null) {
            throw new IllegalArgumentException("gen-ai-metrics.md advises no buckets for " + metric);
        }
        return b;
    }

    /** @return the JSON Schema a content attribute must follow */
    Optional<Schema> contentSchema(String attribute) {
        return Optional.ofNullable(contentSchemas.get(attribute));
    }

    String schemaUrl() {
        return schemaUrl;
    }

    private void readBuckets() {
        String md = new String(bytes("docs/gen-ai/gen-ai-metrics.md"), StandardCharsets.UTF_8);
        Matcher heading = Pattern.compile("(?m)^### Metric: `([a-z_.]+)`").matcher(md);
        List<int[]> at = new ArrayList<>();
        List<String> names = new ArrayList<>();
        while (heading.find()) {
            names.add(heading.group(1));
            at.add(new int[] {heading.end()});
        }
        for (int i = 0; i < names.size(); i++) {
            String section = md.substring(at.get(i)[0], i + 1 < names.size() ? at.get(i + 1)[0] : md.length());
            Matcher b = Pattern.compile("ExplicitBucketBoundaries\\] of\\s*\\[([^\\]]+)\\]").matcher(section);
            if (b.find()) {
                List<Double> values = new ArrayList<>();
                for (String v : b.group(1).split(",")) {
                    values.add(Double.parseDouble(v.strip()));
                }
                buckets.put(names.get(i), List.copyOf(values));
            }
        }
    }

    private static Attribute attribute(JsonNode a) {
        JsonNode type = a.get("type");
        if (type != null && type.isObject()) {
            Set<String> members = new java.util.HashSet<>();
            type.path("members").forEach(m -> members.add(m.get("value").asText()));
            return new Attribute(a.get("id").asText(), "enum", Set.copyOf(members), a.has("deprecated"));
        }
        return new Attribute(a.get("id").asText(), type == null ? "" : type.asText(), Set.of(), a.has("deprecated"));
    }

    private static Optional<Requirement> requirement(JsonNode level) {
        if (level == null) {
            return Optional.empty();
        }
        if (level.isTextual()) {
            return Optional.of(new Requirement(switch (level.asText()) {
                case "required" -> Level.REQUIRED;
                case "recommended" -> Level.RECOMMENDED;
                case "opt_in" -> Level.OPT_IN;
                default -> throw new IllegalStateException("unknown requirement level " + level);
            }, ""));
        }
        if (level.has("conditionally_required")) {
            return Optional.of(new Requirement(Level.CONDITIONALLY_REQUIRED, level.get("conditionally_required").asText().strip()));
        }
        if (level.has("recommended")) {
            return Optional.of(new Requirement(Level.RECOMMENDED, level.get("recommended").asText().strip()));
        }
        throw new IllegalStateException("unknown requirement level " + level);
    }

    private static Optional<String> text(JsonNode n, String field) {
        return n.hasNonNull(field) ? Optional.of(n.get(field).asText()) : Optional.empty();
    }

    private static JsonNode read(ObjectMapper yaml, String file) {
        try {
            return yaml.readTree(bytes(file));
        } catch (IOException e) {
            throw new UncheckedIOException(file, e);
        }
    }

    private static byte[] bytes(String file) {
        try (InputStream in = Semconv.class.getResourceAsStream(ROOT + file)) {
            if (in == null) {
                throw new IllegalStateException("missing " + ROOT + file);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(file, e);
        }
    }
}
