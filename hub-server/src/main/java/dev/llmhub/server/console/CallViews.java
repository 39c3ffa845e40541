package dev.llmhub.server.console;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmhub.api.CallRecord;
import dev.llmhub.core.delivery.LaneTimeline;
import dev.llmhub.core.delivery.RecordDelivery;
import dev.llmhub.core.journal.Entry;
import dev.llmhub.core.record.CallRecordJson;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The console's JSON for calls: a list row, a call's page, its request and its response. Everything
 * comes from the record as the journal holds it — already redacted proxy-wide — and the page shows
 * every text as text, never as markup.
 */
final class CallViews {
    private static final int ERROR_SUMMARY = 200;
    /** What the call page leaves out until asked: message content and headers. */
    private static final List<String> REQUEST_FIELDS = List.of("messages", "request_params", "headers");
    private static final List<String> RESPONSE_FIELDS = List.of("response");

    private CallViews() {
    }

    /** @return the list row: who, what, how much, how long, and where the record went */
    static Map<String, Object> row(Entry<CallRecord> e, Map<String, RecordDelivery.State> destinations) {
        CallRecord r = e.value();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", r.id());
        m.put("offset", e.offset());
        m.put("time", r.startTime().toString());
        m.put("status", r.status().wireName());
        m.put("call_type", r.callType().wireName());
        m.put("stream", r.stream());
        m.put("model", r.model());
        m.put("deployment", r.deployment().orElse(null));
        m.put("user", r.user().or(r::endUser).orElse(null));
        m.put("key", r.apiKey().map(k -> k.alias().orElse(k.hash().substring(0, Math.min(12, k.hash().length())) + "…"))
                .orElse(null));
        m.put("prompt_tokens", r.usage().promptTokens());
        m.put("completion_tokens", r.usage().completionTokens());
        m.put("total_tokens", r.usage().totalTokens());
        m.put("cost", r.cost().map(c -> c.total()).orElse(null));
        m.put("latency_ms", r.durationMs());
        m.put("ttft_ms", r.firstTokenTime().map(t -> Duration.between(r.startTime(), t).toMillis()).orElse(null));
        m.put("error", r.error().map(err -> shorten(err.type() + ": " + err.message())).orElse(null));
        Map<String, String> d = new LinkedHashMap<>();
        destinations.forEach((name, state) -> d.put(name, state.wireName()));
        m.put("destinations", d);
        return m;
    }

    /**
     * @return a call's page: the row, every field of the record but the request and response (timings,
     *         usage, cost, attempts, error, metadata…), and per destination where the record stands
     */
    static Map<String, Object> detail(Entry<CallRecord> e, List<RecordDelivery> deliveries,
                                      Map<String, RecordDelivery.State> states) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("call", row(e, states));
        ObjectNode record = CallRecordJson.toTree(e.value());
        REQUEST_FIELDS.forEach(record::remove);
        RESPONSE_FIELDS.forEach(record::remove);
        m.put("record", record);
        m.put("recorded_at", Instant.ofEpochMilli(e.timestampMillis()).toString());
        m.put("destinations", deliveries.stream().map(CallViews::delivery).toList());
        return m;
    }

    /** @return the redacted request: messages, parameters, headers */
    static Map<String, Object> request(CallRecord r) {
        return pick(r, REQUEST_FIELDS);
    }

    /** @return what the client received */
    static Map<String, Object> response(CallRecord r) {
        return pick(r, RESPONSE_FIELDS);
    }

    private static Map<String, Object> pick(CallRecord r, List<String> fields) {
        ObjectNode tree = CallRecordJson.toTree(r);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", r.id());
        fields.forEach(f -> m.put(f, tree.get(f)));
        return m;
    }

    static Map<String, Object> delivery(RecordDelivery d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", d.lane());
        m.put("kind", d.kind().wireName());
        m.put("state", d.state().wireName());
        m.put("time", d.time().map(Instant::toString).orElse(null));
        m.put("reason", d.reason().orElse(null));
        m.put("lane_state", d.laneState());
        m.put("lag_records", d.lagRecords());
        m.put("lag_seconds", d.lagSeconds());
        return m;
    }

    static List<Map<String, Object>> timeline(List<LaneTimeline.Minute> minutes) {
        return minutes.stream().map(t -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("start", t.start().toString());
            m.put("exported", t.exported());
            m.put("failed", t.failed());
            m.put("retried", t.retried());
            m.put("exports", t.exports());
            m.put("mean_export_ms", t.meanExportMs());
            m.put("max_export_ms", t.maxExportMs());
            return m;
        }).toList();
    }

    private static String shorten(String s) {
        return s.length() <= ERROR_SUMMARY ? s : s.substring(0, ERROR_SUMMARY - 1) + "…";
    }
}
