package dev.llmhub.plugin.otel.conformance;

import dev.llmhub.api.Attempt;
import dev.llmhub.api.CallRecord;
import dev.llmhub.api.CallStatus;
import dev.llmhub.api.CallType;
import dev.llmhub.api.ResponseContent;
import dev.llmhub.api.Usage;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * For every attribute the conventions ask for short of "required", whether it must be there for a
 * given call, worked out from the call record and from what the test's upstream is known to answer,
 * never from the plugin's code. An attribute the spec lists that has no rule here, and is not
 * declared unavailable with a reason, fails the test: a newer spec copy cannot slip by unread.
 */
final class Expectations {

    /** What a rule sees: the call, which of its signals is checked, which try, and where content goes. */
    record Facts(CallRecord record, Role role, int tryIndex, boolean contentHere, String stubBase) {
        Map<String, Object> params() {
            return record.requestParams();
        }

        boolean failed() {
            return record.status() == CallStatus.FAILURE;
        }

        boolean provider(String id) {
            return record.provider().filter(id::equals).isPresent();
        }

        Optional<ResponseContent> response() {
            return record.response();
        }

        Attempt attempt() {
            return record.attempts().get(tryIndex);
        }

        Attempt lastAttempt() {
            return record.attempts().get(record.attempts().size() - 1);
        }

        /** Whether the usage describes the call: the provider's, or llmhub's count for an answer that arrived. */
        boolean usageKnown() {
            return record.usage().source() == Usage.Source.PROVIDER || record.status() == CallStatus.SUCCESS;
        }

        /** Whether this try failed: refused, unanswered, or the stream it started broke off. */
        boolean tryFailed() {
            Attempt a = attempt();
            boolean streamedThis = record.stream() && a == lastAttempt() && a.status() == CallStatus.SUCCESS;
            return a.status() == CallStatus.FAILURE || streamedThis && failed();
        }

        /** The stub answers every request it gets; nothing listens on the mix's closed port. */
        boolean tryGotAnAnswer() {
            return attempt().url().filter(u -> u.startsWith(stubBase)).isPresent();
        }
    }

    enum Role { INFERENCE_SPAN, EMBEDDINGS_SPAN, HTTP_CLIENT_SPAN, HTTP_SERVER_SPAN, DETAILS_EVENT }

    private final Map<String, Predicate<Facts>> rules = new HashMap<>();
    private final Map<String, String> never = new HashMap<>();

    Expectations() {
        // GenAI operation (spans.yaml, events.yaml), common to inference and embeddings.
        rule("gen_ai.request.model", f -> f.record().upstreamModel().isPresent());
        rule("gen_ai.response.model", f -> f.record().responseModel().isPresent());
        rule("gen_ai.usage.input_tokens", Facts::usageKnown);
        rule("gen_ai.conversation.id", f -> f.record().metadata().get("session_id") instanceof String);
        rule("gen_ai.output.type", f -> f.params().get("response_format") instanceof Map<?, ?> m
                && List.of("json_object", "json_schema", "text").contains(m.get("type")));
        rule("gen_ai.request.choice.count", f -> f.params().get("n") instanceof Number n && n.intValue() != 1);
        rule("gen_ai.request.seed", f -> f.params().containsKey("seed"));
        rule("gen_ai.request.stream", f -> f.record().stream());
        rule("gen_ai.request.max_tokens", f -> f.params().containsKey("max_tokens") || f.params().containsKey("max_completion_tokens"));
        rule("gen_ai.request.temperature", f -> f.params().containsKey("temperature"));
        rule("gen_ai.request.top_p", f -> f.params().containsKey("top_p"));
        rule("gen_ai.request.top_k", f -> f.params().containsKey("top_k"));
        rule("gen_ai.request.stop_sequences", f -> f.params().containsKey("stop"));
        rule("gen_ai.request.frequency_penalty", f -> f.params().containsKey("frequency_penalty"));
        rule("gen_ai.request.presence_penalty", f -> f.params().containsKey("presence_penalty"));
        rule("gen_ai.request.encoding_formats", f -> f.params().containsKey("encoding_format"));
        rule("gen_ai.embeddings.dimension.count", f -> f.params().containsKey("dimensions"));
        // llmhub's own id stands in when the provider sent none: that is no response id.
        rule("gen_ai.response.id", f -> f.response().filter(c -> !c.id().equals(f.record().id())).isPresent());
        rule("gen_ai.response.finish_reasons", f -> f.response().filter(c -> c.finishReasons().stream()
                .anyMatch(r -> !r.isBlank())).isPresent());
        rule("gen_ai.response.time_to_first_chunk", f -> f.record().stream() && f.record().firstTokenTime().isPresent());
        rule("gen_ai.usage.output_tokens", Facts::usageKnown);
        rule("gen_ai.usage.cache_read.input_tokens", f -> f.usageKnown() && f.record().usage().cachedTokens() > 0);
        rule("gen_ai.usage.reasoning.output_tokens", f -> f.usageKnown() && f.record().usage().reasoningTokens() > 0);
        rule("gen_ai.input.messages", f -> f.contentHere() && !f.record().messages().isEmpty());
        rule("gen_ai.output.messages", f -> f.contentHere() && f.response().filter(c -> !c.choices().isEmpty()).isPresent());
        rule("gen_ai.tool.definitions", f -> f.contentHere() && f.params().get("tools") instanceof List<?> l && !l.isEmpty());
        never("gen_ai.system_instructions", "OpenAI's chat API has no instructions apart from the chat history; "
                + "system messages are recorded in gen_ai.input.messages, as the registry says");
        never("gen_ai.usage.cache_creation.input_tokens", "OpenAI-compatible usage reports no cache writes");
        rule("openai.api.type", f -> f.provider("openai") && f.record().callType() == CallType.CHAT);
        rule("openai.request.service_tier", f -> f.params().get("service_tier") instanceof String t && !t.equals("auto"));
        rule("openai.response.service_tier", f -> f.response().flatMap(ResponseContent::serviceTier).isPresent());
        rule("openai.response.system_fingerprint", f -> f.response().flatMap(ResponseContent::systemFingerprint).isPresent());

        // error.type: the operation (GenAI), the try (HTTP client) or the proxy's answer (HTTP server) failed.
        rule("error.type", f -> switch (f.role()) {
            case HTTP_CLIENT_SPAN -> f.tryFailed();
            case HTTP_SERVER_SPAN -> status(f.record()) >= 500;
            default -> f.failed();
        });
        // server.*: the GenAI server the last try talked to; the try's own; the proxy's from Host.
        rule("server.address", f -> switch (f.role()) {
            case HTTP_CLIENT_SPAN -> true;
            case HTTP_SERVER_SPAN -> f.record().headers().containsKey("host");
            default -> f.lastAttempt().url().isPresent();
        });
        rule("server.port", f -> switch (f.role()) {
            case HTTP_CLIENT_SPAN -> true;
            case HTTP_SERVER_SPAN -> f.record().headers().containsKey("host");
            default -> f.lastAttempt().url().isPresent();
        });

        // HTTP (http/common.yaml, http/spans.yaml).
        rule("http.response.status_code", f -> f.role() != Role.HTTP_CLIENT_SPAN || f.tryGotAnAnswer());
        rule("http.request.resend_count", f -> f.tryIndex() > 0);
        rule("http.route", f -> true);
        rule("client.address", f -> f.record().clientIp().isPresent());
        rule("user_agent.original", f -> f.role() == Role.HTTP_SERVER_SPAN && f.record().userAgent().isPresent());
        never("http.request.method_original", "llmhub sends and receives POST, a known method");
        never("url.query", "llmhub's routes are called without a query string; the try URLs keep none (Azure's api-version is left out)");
        never("network.protocol.name", "only when not http and a version is set");
        never("network.protocol.version", "the record does not say which HTTP version was spoken");
        never("network.peer.address", "the record keeps names and the client's address, not socket peers");
        never("network.peer.port", "only with network.peer.address");
    }

    private void rule(String attribute, Predicate<Facts> present) {
        rules.put(attribute, present);
    }

    private void never(String attribute, String reason) {
        never.put(attribute, reason);
    }

    /** @return whether the attribute must be there, or empty when no rule covers it */
    Optional<Boolean> expected(String attribute, Facts facts) {
        if (never.containsKey(attribute)) {
            return Optional.of(false);
        }
        return Optional.ofNullable(rules.get(attribute)).map(p -> p.test(facts));
    }

    /** @return whether the attribute has a rule that can ask for it (not a declared "never") */
    boolean canBeExpected(String attribute) {
        return rules.containsKey(attribute);
    }

    /** @return the HTTP status the client got, as the record says */
    static long status(CallRecord r) {
        return r.error().flatMap(e -> e.httpStatus()).map(Integer::longValue).orElse(r.status() == CallStatus.SUCCESS ? 200L : 500L);
    }
}
