package dev.llmhub.plugin.otel.conformance;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmhub.api.ApiKeyInfo;
import dev.llmhub.api.CallRecord;
import dev.llmhub.api.CallType;
import dev.llmhub.api.ProxyInfo;
import dev.llmhub.core.config.ConfigLoader;
import dev.llmhub.core.config.HubConfig;
import dev.llmhub.core.delivery.CallSink;
import dev.llmhub.core.gateway.ClientCall;
import dev.llmhub.core.gateway.Gateway;
import dev.llmhub.core.gateway.GatewayResult;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A varied mix of calls through llmhub's own request path (config, router with retries and failover,
 * providers, usage and the call recorder), against the built-in mock and a real HTTP upstream on
 * loopback: every kind of record the otel destination must translate. No HTTP server in front: the
 * records are what the proxy would publish for these requests.
 */
final class CallMix {
    static final String UPSTREAM_KEY = "sk-stub-upstream-4e1f9b";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Model group names (the clients' aliases), none of them a model any upstream is sent. */
    static final Set<String> ALIASES = Set.of("stub-gpt-4o", "mock-chat", "stub-embed", "mock-embed", "stub-instruct",
            "mixed", "limited", "down", "broken-stream", "unknown-model");

    private static String config(String stub, int closedPort) {
        return """
                model_list:
                  - model_name: stub-gpt-4o
                    litellm_params: {model: openai/gpt-4o, api_base: %1$s/v1, api_key: %3$s}
                  - model_name: mock-chat
                    litellm_params: {model: gpt-3.5-turbo, mock_response: "Good morning! How can I assist you today?"}
                  - model_name: stub-embed
                    litellm_params: {model: openai/text-embedding-3-small, api_base: %1$s/v1, api_key: %3$s}
                  - model_name: mock-embed
                    litellm_params: {model: mock/text-embedding-ada-002}
                  - model_name: stub-instruct
                    litellm_params: {model: openai/gpt-3.5-turbo-instruct, api_base: %1$s/v1, api_key: %3$s}
                  - model_name: mixed
                    litellm_params: {model: openai/gpt-4o-mini, api_base: %1$s/flaky/v1, api_key: %3$s, rpm: 100000000}
                  - model_name: mixed
                    litellm_params: {model: azure/gpt-4o-eu, api_base: %1$s/azure, api_key: %3$s, api_version: "2024-10-21", rpm: 1}
                  - model_name: limited
                    litellm_params: {model: openai/gpt-4o, api_base: %1$s/busy/v1, api_key: %3$s, max_retries: 2}
                  - model_name: down
                    litellm_params: {model: openai/gpt-4o, api_base: "http://127.0.0.1:%2$d/v1", api_key: %3$s, max_retries: 1}
                  - model_name: broken-stream
                    litellm_params: {model: openai/gpt-4o, api_base: %1$s/broken/v1, api_key: %3$s}
                router_settings:
                  num_retries: 1
                  max_backoff: 0.02
                """.formatted(stub, closedPort, UPSTREAM_KEY);
    }

    /** One request of the mix. */
    record Request(String name, CallType type, String path, String body, Map<String, String> headers) {
    }

    static List<Request> requests() {
        Map<String, String> traceparent = Map.of("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
        List<Request> r = new ArrayList<>();
        r.add(new Request("seed chat on the mock, with traceparent and metadata", CallType.CHAT, "/chat/completions", """
                {"model": "mock-chat", "messages": [{"role": "user", "content": "request from LiteLLM testing"}],
                 "user": "ishaan-app", "metadata": {"session_id": "session-42", "tags": ["prod"], "trace_name": "greeting"}}""",
                traceparent));
        r.add(new Request("chat with every parameter, a system prompt and tools", CallType.CHAT, "/v1/chat/completions", """
                {"model": "stub-gpt-4o", "messages": [{"role": "system", "content": "Be brief."},
                  {"role": "user", "content": [{"type": "text", "text": "Weather in Paris?"},
                                               {"type": "image_url", "image_url": {"url": "https://example.com/p.png"}}]}],
                 "temperature": 0.2, "top_p": 0.9, "max_tokens": 128, "stop": ["\\n\\n"], "seed": 7, "n": 2,
                 "frequency_penalty": 0.1, "presence_penalty": 0, "response_format": {"type": "json_object"},
                 "service_tier": "default",
                 "tools": [{"type": "function", "function": {"name": "get_weather", "description": "Weather of a city",
                            "parameters": {"type": "object", "properties": {"city": {"type": "string"}}}}}],
                 "metadata": {"end_user_id": "customer-9"}}""", Map.of()));
        r.add(new Request("tool result sent back", CallType.CHAT, "/v1/chat/completions", """
                {"model": "stub-gpt-4o", "messages": [{"role": "user", "content": "Weather in Paris?"},
                  {"role": "assistant", "content": null, "tool_calls": [{"id": "call_0", "type": "function",
                     "function": {"name": "get_weather", "arguments": "{\\"city\\":\\"Paris\\"}"}}]},
                  {"role": "tool", "tool_call_id": "call_0", "content": "sunny, 21 C"}],
                 "max_completion_tokens": 64, "service_tier": "auto"}""", Map.of()));
        r.add(new Request("streamed chat from the HTTP upstream", CallType.CHAT, "/v1/chat/completions", """
                {"model": "stub-gpt-4o", "stream": true, "stream_options": {"include_usage": true},
                 "messages": [{"role": "user", "content": "Say hello"}], "metadata": {"session_id": "session-7"}}""",
                Map.of()));
        r.add(new Request("streamed chat from the mock", CallType.CHAT, "/chat/completions", """
                {"model": "mock-chat", "stream": true, "top_k": 40, "messages": [{"role": "user", "content": "Say hello"}]}""", Map.of()));
        r.add(new Request("embeddings of a list with dimensions", CallType.EMBEDDING, "/v1/embeddings", """
                {"model": "stub-embed", "input": ["first text", "second text"], "dimensions": 16,
                 "encoding_format": "float", "metadata": {"session_id": "session-7"}}""", Map.of()));
        r.add(new Request("embeddings on the mock", CallType.EMBEDDING, "/embeddings", """
                {"model": "mock-embed", "input": "one text"}""", Map.of()));
        r.add(new Request("embeddings refused with 429 on every try", CallType.EMBEDDING, "/v1/embeddings", """
                {"model": "limited", "input": "one text"}""", Map.of()));
        r.add(new Request("legacy completion with a prompt list", CallType.COMPLETION, "/v1/completions", """
                {"model": "stub-instruct", "prompt": ["Once upon", "a time"], "max_tokens": 4, "temperature": 1}""", Map.of()));
        r.add(new Request("legacy completion on the mock", CallType.COMPLETION, "/completions", """
                {"model": "mock-chat", "prompt": "Say this is a test"}""", Map.of()));
        r.add(new Request("failover: 503 on OpenAI, answered by Azure", CallType.CHAT, "/v1/chat/completions", """
                {"model": "mixed", "messages": [{"role": "user", "content": "hi"}]}""", Map.of()));
        r.add(new Request("429 on every try", CallType.CHAT, "/v1/chat/completions", """
                {"model": "limited", "messages": [{"role": "user", "content": "hi"}]}""", Map.of()));
        r.add(new Request("upstream unreachable, retried", CallType.CHAT, "/v1/chat/completions", """
                {"model": "down", "messages": [{"role": "user", "content": "hi"}]}""", Map.of()));
        r.add(new Request("stream broken off by the upstream", CallType.CHAT, "/v1/chat/completions", """
                {"model": "broken-stream", "stream": true, "messages": [{"role": "user", "content": "hi"}]}""", Map.of()));
        r.add(new Request("bad request, refused before any try", CallType.CHAT, "/v1/chat/completions", """
                {"model": "stub-gpt-4o"}""", Map.of()));
        r.add(new Request("unknown model", CallType.CHAT, "/v1/chat/completions", """
                {"model": "unknown-model", "messages": [{"role": "user", "content": "hi"}]}""", Map.of()));
        return r;
    }

    /**
     * Runs every request of the mix once.
     *
     * @return request name to the record the proxy published for it, in the mix's order
     */
    static Map<String, CallRecord> run(StubProvider stub) throws IOException {
        HubConfig config = new ConfigLoader(Map.of()).parse("mix.yaml", Path.of("mix.yaml"), config(stub.base(), closedPort()));
        List<CallRecord> published = new CopyOnWriteArrayList<>();
        CallSink sink = record -> {
            published.add(record);
            return CallSink.noop().publish(record);
        };
        Map<String, CallRecord> out = new LinkedHashMap<>();
        try (Gateway gateway = new Gateway(config, sink, new ProxyInfo("conformance", "0.1.0-test"), new SimpleMeterRegistry())) {
            for (Request req : requests()) {
                int before = published.size();
                Map<String, String> headers = new LinkedHashMap<>();
                headers.put("host", "llmhub.test:4000");
                headers.put("user-agent", "OpenAI/Python 1.99.0");
                headers.put("authorization", "Bearer sk-1234");
                headers.put("content-type", "application/json");
                headers.putAll(req.headers());
                ClientCall call = new ClientCall(java.util.UUID.randomUUID().toString(), req.type(), req.path(), (ObjectNode) JSON.readTree(req.body()), headers,
                        Optional.of("127.0.0.1"), Optional.of(new ApiKeyInfo("88dc28d0f030c55e", Optional.of("master"))),
                        Instant.now(), System.nanoTime());
                if (gateway.handle(call) instanceof GatewayResult.Streaming s) {
                    s.session().pump((event, data) -> { });
                }
                if (published.size() != before + 1) {
                    throw new IllegalStateException(req.name() + ": expected one record, got " + (published.size() - before));
                }
                out.put(req.name(), published.get(published.size() - 1));
            }
        }
        return out;
    }

    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
