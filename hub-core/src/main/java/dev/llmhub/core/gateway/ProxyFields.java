package dev.llmhub.core.gateway;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Set;

/**
 * Request body fields that are the proxy's business (LiteLLM's per-request keys, logging switches,
 * metadata for destinations): never sent upstream, never listed as request parameters, and never
 * holding anything a record may show as a parameter.
 */
final class ProxyFields {
    /** The proxy-only body fields. */
    static final Set<String> NAMES = Set.of("metadata", "no-log", "mock_response", "api_key", "api-key", "api_base",
            "api_version", "user_api_key", "litellm_params");

    private ProxyFields() {
    }

    /**
     * @param body a client body
     * @return a shallow copy (children shared: nothing below the top level is ever modified) without
     *         the proxy-only fields
     */
    static ObjectNode strip(ObjectNode body) {
        ObjectNode copy = body.objectNode();
        copy.setAll(body);
        copy.remove(NAMES);
        return copy;
    }
}
