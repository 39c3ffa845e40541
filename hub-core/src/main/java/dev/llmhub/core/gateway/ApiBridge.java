package dev.llmhub.core.gateway;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmhub.api.CallType;
import dev.llmhub.core.anthropic.ChatToMessages;
import dev.llmhub.core.anthropic.MessagesToChat;
import dev.llmhub.core.config.ProviderKind;
import dev.llmhub.core.provider.ChunkStream;
import dev.llmhub.core.provider.Provider;
import dev.llmhub.core.provider.UpstreamException;
import dev.llmhub.core.provider.UpstreamRequest;
import dev.llmhub.core.router.Deployment;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * One upstream try in the client's API: sent as it is when the deployment speaks that API, else
 * translated between OpenAI's chat and Anthropic's Messages (both ways, streams too). An API that
 * neither the deployment nor a translation serves is a 400 naming the deployment.
 */
final class ApiBridge {
    private ApiBridge() {
    }

    /** Headers of Anthropic's API that go along when a Messages call is passed through. */
    private static final String ANTHROPIC_BETA = "anthropic-beta";

    static ObjectNode call(CallType api, Deployment d, Provider p, ObjectNode body, Duration timeout,
                           Map<String, String> clientHeaders) {
        if (p.speaks(api)) {
            return p.call(new UpstreamRequest(api, body, timeout, passed(api, clientHeaders)));
        }
        if (api == CallType.MESSAGES && p.speaks(CallType.CHAT)) {
            return ChatToMessages.response(p.call(new UpstreamRequest(CallType.CHAT, MessagesToChat.request(body), timeout)));
        }
        if (api == CallType.CHAT && p.speaks(CallType.MESSAGES)) {
            return MessagesToChat.response(p.call(new UpstreamRequest(CallType.MESSAGES, ChatToMessages.request(body), timeout)));
        }
        throw unsupported(api, d);
    }

    static ChunkStream stream(CallType api, Deployment d, Provider p, ObjectNode body, Duration timeout,
                              Map<String, String> clientHeaders) {
        if (p.speaks(api)) {
            boolean ask = api == CallType.CHAT && p.kind() == ProviderKind.OPENAI;
            return p.stream(new UpstreamRequest(api, ask ? askUsage(body) : body, timeout, passed(api, clientHeaders)));
        }
        if (api == CallType.MESSAGES && p.speaks(CallType.CHAT)) {
            // Anthropic clients expect usage at the end of every stream
            ObjectNode chat = MessagesToChat.request(body);
            if (p.kind() == ProviderKind.OPENAI || p.kind() == ProviderKind.AZURE) {
                askUsage(chat);
            }
            return ChatToMessages.stream(p.stream(new UpstreamRequest(CallType.CHAT, chat, timeout)));
        }
        if (api == CallType.CHAT && p.speaks(CallType.MESSAGES)) {
            // Anthropic streams always end with usage; the chat fold drops it unless the client asked
            return MessagesToChat.stream(p.stream(new UpstreamRequest(CallType.MESSAGES, ChatToMessages.request(body), timeout)));
        }
        throw unsupported(api, d);
    }

    /** The client's {@code anthropic-beta} (features it opted into) goes along with a passed-through Messages call. */
    private static Map<String, String> passed(CallType api, Map<String, String> clientHeaders) {
        String beta = clientHeaders.get(ANTHROPIC_BETA);
        return api == CallType.MESSAGES && beta != null ? Map.of(ANTHROPIC_BETA, beta) : Map.of();
    }

    /** Asks an OpenAI upstream for the usage chunk, so usage is the provider's (dropped again unless the client asked). */
    private static ObjectNode askUsage(ObjectNode chat) {
        ObjectNode options = chat.objectNode();
        if (chat.get("stream_options") instanceof ObjectNode existing) {
            options.setAll(existing);
        }
        chat.set("stream_options", options.put("include_usage", true));
        return chat;
    }

    private static UpstreamException unsupported(CallType api, Deployment d) {
        return new UpstreamException(400, "invalid_request_error", "deployment '" + d.id() + "' ("
                + d.provider().kind().wireName() + ") does not serve the " + api.wireName() + " API",
                Optional.of("unsupported_api"), false, Optional.empty());
    }
}
