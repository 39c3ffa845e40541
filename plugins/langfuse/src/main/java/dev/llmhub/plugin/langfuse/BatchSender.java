package dev.llmhub.plugin.langfuse;

import dev.llmhub.api.ExportResult;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Sends a batch to one {@link Wire} as requests under the {@link RequestLimit}, and never loses a record
 * to a size refusal: a request Langfuse refuses as too large (HTTP 413) is split in two and both halves
 * sent; a single record it refuses is sent again without its input and output (the metadata says so);
 * only a record refused even then fails, permanently and counted.
 *
 * <p>A refusal of the credentials, a rate limit or an unreachable server stops the batch (the rest
 * would meet the same); a request whose content is refused (400) fails alone and the next is sent.
 */
final class BatchSender {
    private final LangfuseHttp http;
    private final AnswerMapper answers;
    private final RequestLimit limit;

    BatchSender(LangfuseHttp http, AnswerMapper answers, RequestLimit limit) {
        this.http = http;
        this.answers = answers;
        this.limit = limit;
    }

    /**
     * @param wire        the endpoint
     * @param generations the batch
     * @param failures    records already known to fail (by id); the result adds to them
     * @return the outcome of the whole batch
     */
    <P> ExportResult send(Wire<P> wire, List<Generation> generations, Map<String, ExportResult> failures) {
        Map<String, ExportResult> failed = new LinkedHashMap<>(failures);
        Deque<List<P>> pending = new ArrayDeque<>(pack(wire, generations));
        ExportResult stop = null;
        while (!pending.isEmpty()) {
            List<P> request = pending.poll();
            if (stop != null) {
                fail(wire, request, stop, failed);
                continue;
            }
            byte[] body = wire.body(request);
            LangfuseHttp.Answer answer;
            try {
                answer = wire.post(http, body);
            } catch (RuntimeException e) {
                stop = answers.unreachable(e);
                fail(wire, request, stop, failed);
                continue;
            }
            if (answer.status() == 413) {
                limit.refused(body.length);
                List<List<P>> smaller = smaller(wire, request);
                if (smaller.isEmpty()) {
                    fail(wire, request, ExportResult.permanent("HTTP 413: Langfuse at " + http.host() + wire.path()
                            + " refuses this call as too large even without its input and output ("
                            + body.length + " bytes): " + answer.bodyExcerpt()), failed);
                }
                for (int i = smaller.size() - 1; i >= 0; i--) {
                    pending.addFirst(smaller.get(i));
                }
                continue;
            }
            ExportResult result = answers.map(answer, wire.path());
            if (result instanceof ExportResult.Success) {
                wire.accepted(answer, request, failed);
            } else if (result instanceof ExportResult.Permanent && !AnswerMapper.isAuthProblem(answer.status())) {
                // This request's content was refused: the next requests may well be fine.
                fail(wire, request, result, failed);
            } else {
                // Bad credentials, rate limit, server trouble: the rest of the batch would meet the same.
                stop = result;
                fail(wire, request, result, failed);
            }
        }
        if (failures.isEmpty() && failed.size() == generations.size()
                && failed.values().stream().distinct().count() == 1) {
            // Nothing got through, for one reason: report it for the batch (keeps Retry-After simple).
            return failed.values().iterator().next();
        }
        return ExportResult.partial(failed);
    }

    /** Groups the batch into requests under the limit, in order; a call too large alone goes without its content. */
    private <P> List<List<P>> pack(Wire<P> wire, List<Generation> generations) {
        int max = limit.max();
        int overhead = wire.overhead();
        List<List<P>> requests = new ArrayList<>();
        List<P> current = new ArrayList<>();
        long size = overhead;
        for (Generation g : generations) {
            P part = wire.encode(g);
            if (overhead + wire.size(part) > max && g.hasContent()) {
                part = wire.encode(g.withoutContent("input and output left out: the call is larger than the "
                        + "request limit of " + max + " bytes (callback_settings.langfuse.max_request_bytes)"));
            }
            if (!current.isEmpty() && size + wire.size(part) > max) {
                requests.add(current);
                current = new ArrayList<>();
                size = overhead;
            }
            current.add(part);
            size += wire.size(part);
        }
        if (!current.isEmpty()) {
            requests.add(current);
        }
        return requests;
    }

    /** @return the request split in two halves; one record without its content; nothing when neither is left */
    private static <P> List<List<P>> smaller(Wire<P> wire, List<P> request) {
        if (request.size() > 1) {
            int half = request.size() / 2;
            return List.of(new ArrayList<>(request.subList(0, half)), new ArrayList<>(request.subList(half, request.size())));
        }
        Generation g = wire.generation(request.get(0));
        if (!g.hasContent()) {
            return List.of();
        }
        return List.of(List.of(wire.encode(g.withoutContent(
                "input and output left out: Langfuse refused the call as too large (HTTP 413)"))));
    }

    private static <P> void fail(Wire<P> wire, List<P> request, ExportResult result, Map<String, ExportResult> failed) {
        request.forEach(p -> failed.put(wire.generation(p).recordId(), result));
    }
}
