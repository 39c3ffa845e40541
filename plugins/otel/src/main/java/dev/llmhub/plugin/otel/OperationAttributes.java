package dev.llmhub.plugin.otel;

import dev.llmhub.api.CallRecord;
import dev.llmhub.api.CallType;
import dev.llmhub.api.Usage;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import java.util.List;

/**
 * The semantic conventions' attributes of a GenAI operation, without content: what the inference or
 * embeddings span carries, and what the operation details event repeats.
 */
final class OperationAttributes {
    private OperationAttributes() {
    }

    static AttributesBuilder of(GenAiOperation op) {
        CallRecord r = op.record();
        AttributesBuilder b = Attributes.builder();
        b.put(GenAi.OPERATION_NAME, op.operationName());
        b.put(GenAi.PROVIDER_NAME, op.providerName());
        op.requestModel().ifPresent(m -> b.put(GenAi.REQUEST_MODEL, m));
        op.server().ifPresent(s -> s.putInto(b));
        r.responseModel().ifPresent(m -> b.put(GenAi.RESPONSE_MODEL, m));
        op.responseId().ifPresent(id -> b.put(GenAi.RESPONSE_ID, id));
        r.response().ifPresent(resp -> {
            List<String> reasons = resp.finishReasons().stream().filter(f -> !f.isBlank()).map(GenAi::finishReason).toList();
            if (op.inference() && !reasons.isEmpty()) {
                b.put(GenAi.RESPONSE_FINISH_REASONS, reasons);
            }
        });
        if (op.hasUsage()) {
            Usage u = r.usage();
            b.put(GenAi.USAGE_INPUT_TOKENS, u.promptTokens());
            if (op.inference()) {
                b.put(GenAi.USAGE_OUTPUT_TOKENS, u.completionTokens());
            }
            if (u.cachedTokens() > 0) {
                b.put(GenAi.USAGE_CACHE_READ_INPUT_TOKENS, u.cachedTokens());
            }
            if (u.reasoningTokens() > 0) {
                b.put(GenAi.USAGE_REASONING_OUTPUT_TOKENS, u.reasoningTokens());
            }
        }
        GenAi.putRequestParams(r, b);
        op.timeToFirstChunk().ifPresent(s -> b.put(GenAi.RESPONSE_TIME_TO_FIRST_CHUNK, s));
        if (r.metadata().get("session_id") instanceof String session && !session.isBlank()) {
            b.put(GenAi.CONVERSATION_ID, session);
        }
        if (GenAi.speaksOpenAi(r.provider())) {
            if (r.callType() == CallType.CHAT) {
                b.put(GenAi.OPENAI_API_TYPE, "chat_completions");
            }
            r.response().flatMap(c -> c.systemFingerprint())
                    .ifPresent(f -> b.put(GenAi.OPENAI_RESPONSE_SYSTEM_FINGERPRINT, f));
            r.response().flatMap(c -> c.serviceTier()).ifPresent(t -> b.put(GenAi.OPENAI_RESPONSE_SERVICE_TIER, t));
        }
        r.error().ifPresent(e -> b.put(GenAi.ERROR_TYPE, e.type()));
        return b;
    }
}
