package dev.llmhub.plugin.langfuse;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmhub.api.ExportResult;
import dev.llmhub.plugin.kit.OnceLogger;
import java.io.ByteArrayOutputStream;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.net.URI;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The legacy {@code POST /api/public/ingestion} batch API: JSON batches of {@code trace-create} and
 * {@code generation-create} events, and the 207 answer's per-event errors mapped back to the records they
 * came from. Bodies are plain JSON: this endpoint, unlike the OTLP one, reads no {@code Content-Encoding}.
 */
final class IngestionExport implements Wire<IngestionEncoder.Events> {
    static final String PATH = "/api/public/ingestion";
    private static final byte[] OPEN = "{\"batch\":[".getBytes(StandardCharsets.UTF_8);
    private static final byte[] CLOSE = "]}".getBytes(StandardCharsets.UTF_8);

    private final IngestionEncoder encoder;
    private final OnceLogger log;
    private final URI host;

    IngestionExport(IngestionEncoder encoder, OnceLogger log, URI host) {
        this.encoder = encoder;
        this.log = log;
        this.host = host;
    }

    @Override
    public String path() {
        return PATH;
    }

    @Override
    public IngestionEncoder.Events encode(Generation g) {
        return encoder.encode(g);
    }

    @Override
    public Generation generation(IngestionEncoder.Events part) {
        return part.generation();
    }

    @Override
    public int size(IngestionEncoder.Events part) {
        return part.size();
    }

    @Override
    public int overhead() {
        return OPEN.length + CLOSE.length;
    }

    @Override
    public byte[] body(List<IngestionEncoder.Events> parts) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(OPEN);
        boolean first = true;
        for (IngestionEncoder.Events events : parts) {
            for (byte[] event : events.json()) {
                if (!first) {
                    body.write(',');
                }
                first = false;
                body.writeBytes(event);
            }
        }
        body.writeBytes(CLOSE);
        return body.toByteArray();
    }

    @Override
    public LangfuseHttp.Answer post(LangfuseHttp http, byte[] body) {
        return http.post(PATH, "application/json", body);
    }

    @Override
    public void accepted(LangfuseHttp.Answer answer, List<IngestionEncoder.Events> parts, Map<String, ExportResult> failed) {
        Map<String, String> recordOfEvent = new HashMap<>();
        parts.forEach(events -> events.eventIds().forEach(id -> recordOfEvent.put(id, events.recordId())));
        mapEventErrors(answer, parts, recordOfEvent, failed);
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
        Set<String> succeeded = new HashSet<>();
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
            if (r instanceof ExportResult.Success) {
                continue;
            }
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
        if (rejectedTypes > 0 && rejectedTypes == errors) {
            log.log(Level.ERROR, "v4", "Langfuse at " + host + " no longer accepts trace and generation "
                    + "events on " + PATH + " (a v4 server): set callback_settings.langfuse.api: otel");
        }
    }

    private static ExportResult eventResult(int status, String message) {
        return ExportResult.fromHttpStatus(status, Optional.empty(), "Langfuse rejected an event: " + shorten(message));
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
