package dev.llmhub.plugin.otel;

import dev.llmhub.api.CallRecord;
import dev.llmhub.api.CallType;
import dev.llmhub.api.Usage;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import java.util.List;

/**
 * The semantic conventions' attributes of a GenAI operation, without content, exactly as each
 * definition lists them: the inference span ({@code span.gen_ai.inference.client}, plus
 * {@code span.openai.inference.client} for OpenAI), the embeddings span
 * ({@code span.gen_ai.embeddings.client}), and the operation details event, which carries
 * {@code attributes.gen_ai.inference.client} only.
 */
final class OperationAttributes {
    private OperationAttributes() {
    }

    /** @return the GenAI span's attributes */
    static AttributesBuilder span(GenAiOperation op) {
        CallRecord r = op.record();
        AttributesBuilder b = shared(op);
        b.put(GenAi.PROVIDER_NAME, op.providerName());
        if (op.inference()) {
            GenAi.putInferenceSpanParams(r, b);
            if (GenAi.isOpenAi(r.provider())) {
                openAi(r, b);
            }
        }
        return b;
    }

    /** @return the operation details event's attributes (inference only) */
    static AttributesBuilder event(GenAiOperation op) {
        return shared(op);
    }

    /** What every definition above has: the common client attributes and the operation's own. */
    private static AttributesBuilder shared(GenAiOperation op) {
        CallRecord r = op.record();
        AttributesBuilder b = Attributes.builder();
        b.put(GenAi.OPERATION_NAME, op.operationName());
        op.requestModel().ifPresent(m -> b.put(GenAi.REQUEST_MODEL, m));
        op.server().ifPresent(s -> s.putInto(b));
        r.error().ifPresent(e -> b.put(GenAi.ERROR_TYPE, e.type()));
        r.responseModel().ifPresent(m -> b.put(GenAi.RESPONSE_MODEL, m));
        Usage u = r.usage();
        if (op.hasUsage()) {
            b.put(GenAi.USAGE_INPUT_TOKENS, u.promptTokens());
        }
        if (!op.inference()) {
            GenAi.putEmbeddingsParams(r, b);
            return b;
        }
        op.responseId().ifPresent(id -> b.put(GenAi.RESPONSE_ID, id));
        r.response().ifPresent(resp -> {
            List<String> reasons = resp.finishReasons().stream().filter(f -> !f.isBlank()).map(GenAi::finishReason).toList();
            if (!reasons.isEmpty()) {
                b.put(GenAi.RESPONSE_FINISH_REASONS, reasons);
            }
        });
        if (op.hasUsage()) {
            b.put(GenAi.USAGE_OUTPUT_TOKENS, u.completionTokens());
            if (u.cachedTokens() > 0) {
                b.put(GenAi.USAGE_CACHE_READ_INPUT_TOKENS, u.cachedTokens());
            }
            if (u.reasoningTokens() > 0) {
                b.put(GenAi.USAGE_REASONING_OUTPUT_TOKENS, u.reasoningTokens());
            }
        }
        GenAi.putInferenceParams(r, b);
        op.timeToFirstChunk().ifPresent(s -> b.put(GenAi.RESPONSE_TIME_TO_FIRST_CHUNK, s));
        if (r.metadata().get("session_id") instanceof String session && !session.isBlank()) {
            b.put(GenAi.CONVERSATION_ID, session);
        }
        return b;
    }

    /** {@code span.openai.inference.client}'s own attributes. */
    private static void openAi(CallRecord r, AttributesBuilder b) {
        if (r.callType() == CallType.CHAT) {
            b.put(GenAi.OPENAI_API_TYPE, "chat_completions");
        }
        if (r.requestParams().get("service_tier") instanceof String tier && !tier.equals("auto")) {
            b.put(GenAi.OPENAI_REQUEST_SERVICE_TIER, tier);
        }
        r.response().ifPresent(c -> {
            c.serviceTier().ifPresent(t -> b.put(GenAi.OPENAI_RESPONSE_SERVICE_TIER, t));
            c.systemFingerprint().ifPresent(f -> b.put(GenAi.OPENAI_RESPONSE_SYSTEM_FINGERPRINT, f));
        });
    }
}
