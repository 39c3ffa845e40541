package dev.llmhub.plugin.langfuse;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes a generation as the legacy ingestion API's events: {@code trace-create} (unless the call
 * joins an existing trace) and {@code generation-create}. Event ids and body ids come from the record
 * id, and the event timestamp is the call's end time, so a retried batch is byte for byte the same and
 * Langfuse deduplicates it.
 *
 * <p>Shapes follow Langfuse's published OpenAPI ({@code IngestionEvent}): usage goes in
 * {@code usageDetails} as Langfuse's own keys (the OpenAI-shaped alternatives overlap in the spec's
 * {@code oneOf}), and whole-number model parameters are sent as text because the spec's
 * {@code MapValue} lists both integer and number, which a whole number would match twice.
 */
final class IngestionEncoder {

    /** The events of one record, each already serialized, with their ids. */
    record Events(String recordId, List<String> eventIds, List<byte[]> json) {
        int size() {
            return json.stream().mapToInt(b -> b.length + 1).sum();
        }
    }

    Events encode(Generation g, boolean withContent) {
        List<String> ids = new ArrayList<>();
        List<byte[]> json = new ArrayList<>();
        if (g.writesTrace()) {
            ObjectNode event = envelope(g, "trace-create", ids);
            ObjectNode body = event.putObject("body");
            body.put("id", g.traceId());
            body.put("timestamp", g.startTime().toString());
            body.put("name", g.traceName());
            g.userId().ifPresent(v -> body.put("userId", v));
            g.sessionId().ifPresent(v -> body.put("sessionId", v));
            g.release().ifPresent(v -> body.put("release", v));
            g.version().ifPresent(v -> body.put("version", v));
            g.environment().ifPresent(v -> body.put("environment", v));
            if (!g.tags().isEmpty()) {
                ArrayNode tags = body.putArray("tags");
                g.tags().forEach(tags::add);
            }
            if (!g.traceMetadata().isEmpty()) {
                body.set("metadata", Json.MAPPER.valueToTree(g.traceMetadata()));
            }
            if (withContent) {
                g.input().ifPresent(v -> body.set("input", Json.MAPPER.valueToTree(v)));
                g.output().ifPresent(v -> body.set("output", Json.MAPPER.valueToTree(v)));
            }
            json.add(Json.bytes(event));
        }

        ObjectNode event = envelope(g, "generation-create", ids);
        ObjectNode body = event.putObject("body");
        body.put("id", g.observationId());
        body.put("traceId", g.traceId());
        body.put("name", g.name());
        body.put("startTime", g.startTime().toString());
        body.put("endTime", g.endTime().toString());
        g.completionStartTime().ifPresent(t -> body.put("completionStartTime", t.toString()));
        body.put("model", g.responseModel().orElse(g.model()));
        if (!g.modelParameters().isEmpty()) {
            ObjectNode params = body.putObject("modelParameters");
            g.modelParameters().forEach((k, v) -> putModelParameter(params, k, v));
        }
        if (!g.usage().isEmpty()) {
            ObjectNode usage = body.putObject("usageDetails");
            g.usage().langfuseDetails().forEach(usage::put);
        }
        g.cost().ifPresent(c -> {
            ObjectNode cost = body.putObject("costDetails");
            c.asMap().forEach(cost::put);
        });
        if (withContent) {
            g.input().ifPresent(v -> body.set("input", Json.MAPPER.valueToTree(v)));
            g.output().ifPresent(v -> body.set("output", Json.MAPPER.valueToTree(v)));
        }
        body.put("level", g.error() ? "ERROR" : "DEFAULT");
        g.statusMessage().ifPresent(v -> body.put("statusMessage", v));
        g.version().ifPresent(v -> body.put("version", v));
        g.environment().ifPresent(v -> body.put("environment", v));
        Map<String, Object> metadata = g.metadata();
        if (!withContent && (g.input().isPresent() || g.output().isPresent())) {
            metadata = new java.util.LinkedHashMap<>(metadata);
            metadata.put("llmhub_note", "input and output left out: the call is larger than Langfuse's 3.5 MB batch limit");
        }
        body.set("metadata", Json.MAPPER.valueToTree(metadata));
        json.add(Json.bytes(event));
        return new Events(g.recordId(), List.copyOf(ids), List.copyOf(json));
    }

    private static ObjectNode envelope(Generation g, String type, List<String> ids) {
        String id = LangfuseIds.eventId(g.recordId(), type);
        ids.add(id);
        ObjectNode event = Json.MAPPER.createObjectNode();
        event.put("id", id);
        event.put("type", type);
        event.put("timestamp", g.endTime().toString());
        return event;
    }

    private static void putModelParameter(ObjectNode params, String key, Object v) {
        if (v instanceof Boolean b) {
            params.put(key, b);
        } else if (v instanceof Number n && n.doubleValue() != Math.rint(n.doubleValue())) {
            params.put(key, n.doubleValue());
        } else if (v instanceof Number n) {
            params.put(key, n instanceof Double || n instanceof Float ? Long.toString(n.longValue()) : n.toString());
        } else if (v instanceof String s) {
            params.put(key, s);
        } else if (v instanceof List<?> l && l.stream().allMatch(o -> o instanceof String)) {
            ArrayNode a = params.putArray(key);
            l.forEach(o -> a.add((String) o));
        } else {
            params.put(key, Json.write(v));
        }
    }
}
