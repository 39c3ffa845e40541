package dev.llmhub.plugin.langfuse;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

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
    record Events(Generation generation, List<String> eventIds, List<byte[]> json) {
        String recordId() {
            return generation.recordId();
        }

        /** @return bytes in a batch, a separating comma each */
        int size() {
            return json.stream().mapToInt(b -> b.length + 1).sum();
        }
    }

    Events encode(Generation g) {
        List<String> ids = new ArrayList<>();
        List<byte[]> json = new ArrayList<>();
        Generation.TraceFields t = g.trace();
        if (t.role() != Generation.TraceRole.JOINED) {
            // For the caller's trace this may be id, timestamp and environment only: the ingestion API does
            // not create a trace for an observation, and absent fields leave the trace's values as they are.
            ObjectNode event = envelope(g, "trace-create", ids);
            ObjectNode body = event.putObject("body");
            body.put("id", g.traceId());
            body.put("timestamp", g.startTime().toString());
            t.name().ifPresent(v -> body.put("name", v));
            t.userId().ifPresent(v -> body.put("userId", v));
            t.sessionId().ifPresent(v -> body.put("sessionId", v));
            t.release().ifPresent(v -> body.put("release", v));
            if (t.role() == Generation.TraceRole.OWN) {
                g.version().ifPresent(v -> body.put("version", v));
            }
            g.environment().ifPresent(v -> body.put("environment", v));
            if (!t.tags().isEmpty()) {
                ArrayNode tags = body.putArray("tags");
                t.tags().forEach(tags::add);
            }
            if (!t.metadata().isEmpty()) {
                body.set("metadata", Json.MAPPER.valueToTree(t.metadata()));
            }
            if (t.withContent()) {
                g.input().ifPresent(v -> body.set("input", Json.MAPPER.valueToTree(v)));
                g.output().ifPresent(v -> body.set("output", Json.MAPPER.valueToTree(v)));
            }
            json.add(Json.bytes(event));
        }

        ObjectNode event = envelope(g, "generation-create", ids);
        ObjectNode body = event.putObject("body");
        body.put("id", g.observationId());
        body.put("traceId", g.traceId());
        g.parentObservationId().ifPresent(v -> body.put("parentObservationId", v));
        body.put("name", g.name());
        body.put("startTime", g.startTime().toString());
        body.put("endTime", g.endTime().toString());
        g.completionStartTime().ifPresent(v -> body.put("completionStartTime", v.toString()));
        body.put("model", g.model());
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
        g.prompt().ifPresent(p -> {
            body.put("promptName", p.name());
            body.put("promptVersion", p.version());
        });
        g.input().ifPresent(v -> body.set("input", Json.MAPPER.valueToTree(v)));
        g.output().ifPresent(v -> body.set("output", Json.MAPPER.valueToTree(v)));
        body.put("level", g.error() ? "ERROR" : "DEFAULT");
        g.statusMessage().ifPresent(v -> body.put("statusMessage", v));
        g.version().ifPresent(v -> body.put("version", v));
        g.environment().ifPresent(v -> body.put("environment", v));
        body.set("metadata", Json.MAPPER.valueToTree(g.metadata()));
        json.add(Json.bytes(event));
        return new Events(g, List.copyOf(ids), List.copyOf(json));
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
