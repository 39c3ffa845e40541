package dev.llmhub.core.gateway;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmhub.api.CallType;
import dev.llmhub.api.ResponseContent;
import dev.llmhub.api.Usage;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The API a client speaks (OpenAI's chat, completions and embeddings; Anthropic's Messages; OpenAI's
 * Responses): how its requests are checked, what its answers carry, how its streams look, and how
 * its content reads in the record's chat shape. The gateway's flow is the same for all of them.
 */
interface ClientApi {

    /** @return the API of a call type */
    static ClientApi of(CallType type) {
        return switch (type) {
            case CHAT, COMPLETION, EMBEDDING -> new OpenAiApi(type);
            case MESSAGES -> MessagesApi.INSTANCE;
            case RESPONSES -> ResponsesApi.INSTANCE;
            case OTHER -> throw new IllegalArgumentException("no API serves calls of type " + type);
        };
    }

    /** @throws ApiException naming the field at fault */
    void validate(ObjectNode body);

    /** @return the body to send upstream (before the deployment's model is set): proxy-only fields removed */
    default ObjectNode upstreamBody(ObjectNode body) {
        return ProxyFields.strip(body);
    }

    /** @return the request's messages in the record's chat shape; never throws, even for a body that fails validation */
    List<Map<String, Object>> messages(ObjectNode body);

    /** @return the end user the body names ({@code user}, or the API's own field for it) */
    default Optional<String> user(ObjectNode body) {
        return body.path("user").isTextual() ? Optional.of(body.get("user").asText()) : Optional.empty();
    }

    /** @return the provider's usage in a complete answer, when it has one */
    Optional<Usage> usage(ObjectNode answer);

    /** Puts (estimated) usage into an answer that carried none, as the API reports it. */
    void putUsage(ObjectNode answer, Usage usage);

    /** @return the generated text and tool arguments of an answer, for estimating completion tokens */
    String completionText(ObjectNode answer);

    /** @return the model the answer names */
    default Optional<String> responseModel(ObjectNode answer) {
        return answer.path("model").isTextual() ? Optional.of(answer.get("model").asText()) : Optional.empty();
    }

    /** @return the answer in the record's chat shape */
    ResponseContent content(ObjectNode answer, String fallbackId);

    /** @return a new stream's fold for this request */
    StreamFold streamFold(ObjectNode body);
}
