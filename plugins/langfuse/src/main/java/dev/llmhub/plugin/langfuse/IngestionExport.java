package dev.llmhub.plugin.langfuse;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmhub.api.ExportResult;
import java.io.ByteArrayOutputStream;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Sends generations to the legacy {@code POST /api/public/ingestion} batch API: requests kept under
 * Langfuse's 3.5 MB batch limit, and the 207 answer's per-event errors mapped back to the records
 * they came from (400 and other 4xx permanent, 429 and 5xx retryable).
 */
final class IngestionExport {
    static final String PATH = "/api/public/ingestion";
    /** Langfuse documents a 3.5 MB limit per batch (its server refuses bodies over 4.5 MB). */
    static final int MAX_BATCH_BYTES = 3_500_000;
    private static final byte[] OPEN = "{\"batch\":[".getBytes(StandardCharsets.UTF_8);
    private static final byte[] CLOSE = "]}".getBytes(StandardCharsets.UTF_8);

    private final LangfuseHttp http;
    private final IngestionEncoder encoder;
    private final AnswerMapper answers;
    private final System.Logger logger;
    private final int maxBatchBytes;
    private final AtomicBoolean rejectedTypesLogged = new AtomicBoolean();

    IngestionExport(LangfuseHttp http, IngestionEncoder encoder, AnswerMapper answers, System.Logger logger,
                    int maxBatchBytes) {
        this.http = http;
        this.encoder = encoder;
        this.answers = answers;
        this.logger = logger;
        this.maxBatchBytes = maxBatchBytes;
    }

    /**
     * @param generations the batch
     * @param failures    records already known to fail (by id); the result adds to them
     * @return the outcome of the whole batch
     */
    ExportResult send(List<Generation> generations, Map<String, ExportResult> failures) {
        Map<String, ExportResult> failed = new LinkedHashMap<>(failures);
        List<List<IngestionEncoder.Events>> requests = split(generations, failed);
        ExportResult stop = null;
        for (List<IngestionEncoder.Events> request : requests) {
            if (stop != null) {
                // Same answer for what is left: no point sending after a 401 or into a rate limit.
                ExportResult same = stop;
                request.forEach(e -> failed.put(e.recordId(), same));
                continue;
            }
            ExportResult r = sendOne(request, failed);
            if (r != null) {
                stop = r;
                request.forEach(e -> failed.put(e.recordId(), r));
            }
        }
        ExportResult s = stop;
        if (s != null && failures.isEmpty() && failed.size() == generations.size()
                && failed.values().stream().allMatch(v -> v == s)) {
            // Nothing got through, for one reason: report it for the batch (keeps Retry-After simple).
            return s;
        }
        return ExportResult.partial(failed);
    }

    /** Groups records into requests under the size limit, in order. */
    private List<List<IngestionEncoder.Events>> split(List<Generation> generations, Map<String, ExportResult> failed) {
        int budget = maxBatchBytes - OPEN.length - CLOSE.length;
        List<List<IngestionEncoder.Events>> requests = new ArrayList<>();
        List<IngestionEncoder.Events> current = new ArrayList<>();
        int size = 0;
        for (Generation g : generations) {
            IngestionEncoder.Events events = encoder.encode(g, true);
            if (events.size() > budget) {
                // One call alone is over the limit: send it without its input and output.
                events = encoder.encode(g, false);
                if (events.size() > budget) {
                    failed.put(g.recordId(), ExportResult.permanent(
                            "call is larger than Langfuse's batch limit of " + maxBatchBytes + " bytes even without its content"));
                    continue;
                }
            }
            if (size + events.size() > budget && !current.isEmpty()) {
                requests.add(current);
                current = new ArrayList<>();
                size = 0;
            }
            current.add(events);
            size += events.size();
        }
        if (!current.isEmpty()) {
            requests.add(current);
        }
        return requests;
    }

    /**
     * @return null when the next request may be sent (per-record outcomes added to {@code failed}), else
     *         the result for this request and every later one
     */
    private ExportResult sendOne(List<IngestionEncoder.Events> request, Map<String, ExportResult> failed) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(OPEN);
        boolean first = true;
        Map<String, String> recordOfEvent = new HashMap<>();
        for (IngestionEncoder.Events events : request) {
            for (int i = 0; i < events.json().size(); i++) {
                if (!first) {
                    body.write(',');
                }
                first = false;
                body.writeBytes(events.json().get(i));
                recordOfEvent.put(events.eventIds().get(i), events.recordId());
            }
        }
        body.writeBytes(CLOSE);

        LangfuseHttp.Answer answer;
        try {
            answer = http.post(PATH, "application/json", body.toByteArray());
        } catch (RuntimeException e) {
            return answers.unreachable(e);
        }
        ExportResult overall = answers.map(answer, PATH);
        if (overall instanceof ExportResult.Permanent && answer.status() != 401 && answer.status() != 403) {
            // This request's content was refused (400, 413): the next requests may well be fine.
            request.forEach(e -> failed.put(e.recordId(), overall));
            return null;
        }
        if (!(overall instanceof ExportResult.Success)) {
            // Bad credentials, rate limit, server trouble: the rest of the batch would meet the same.
            return overall;
        }
        mapEventErrors(answer, request, recordOfEvent, failed);
        return null;
    }

    private void mapEventErrors(LangfuseHttp.Answer answer, List<IngestionEncoder.Events> request,
                                Map<String, String> recordOfEvent, Map<String, ExportResult> failed) {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(answer.body());
        } catch (Exception e) {
            // A 2xx without a readable body: nothing says any event failed.
            return;
        }
        java.util.Set<String> succeeded = new java.util.HashSet<>();
        root.path("successes").forEach(s -> succeeded.add(s.path("id").asText()));
        ExportResult unknown = null;
        int rejectedTypes = 0;
        int errors = 0;
        for (JsonNode e : root.path("errors")) {
            errors++;
            int status = e.path("status").asInt(500);
            String message = e.path("message").asText("") + (e.hasNonNull("error") ? ": " + e.get("error").toString() : "");
            if (message.contains("Event type not accepted")) {
                rejectedTypes++;
            }
            ExportResult r = eventResult(status, message);
            String recordId = recordOfEvent.get(e.path("id").asText());
            if (recordId == null) {
                unknown = r;
                continue;
            }
            failed.merge(recordId, r, IngestionExport::worse);
        }
        if (unknown != null) {
            // Errors Langfuse could not tie to an event id: blame the records it did not confirm.
            for (IngestionEncoder.Events events : request) {
                if (!failed.containsKey(events.recordId()) && !succeeded.containsAll(events.eventIds())) {
                    failed.put(events.recordId(), unknown);
                }
            }
        }
        if (rejectedTypes > 0 && rejectedTypes == errors && rejectedTypesLogged.compareAndSet(false, true)) {
            logger.log(Level.ERROR, "Langfuse at " + http.host() + " no longer accepts trace and generation "
                    + "events on " + PATH + " (a v4 server): set callback_settings.langfuse.api: otel");
        }
    }

    private static ExportResult eventResult(int status, String message) {
        String reason = "Langfuse rejected an event (" + status + "): " + shorten(message);
        return status == 429 || status >= 500 ? ExportResult.retryable(reason) : ExportResult.permanent(reason);
    }

    /** A record with one event that cannot succeed will never succeed: permanent beats retryable. */
    private static ExportResult worse(ExportResult a, ExportResult b) {
        return a instanceof ExportResult.Permanent ? a : b;
    }

    private static String shorten(String s) {
        String t = s.strip().replaceAll("\\s+", " ");
        return t.length() <= 300 ? t : t.substring(0, 300) + "…";
    }
}
