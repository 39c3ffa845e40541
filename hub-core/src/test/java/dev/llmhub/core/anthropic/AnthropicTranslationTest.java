package dev.llmhub.core.anthropic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmhub.core.provider.ChunkStream;
import dev.llmhub.core.provider.Json;
import dev.llmhub.core.provider.UpstreamException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Chat and Messages, translated both ways: what each side's fields become on the other. */
class AnthropicTranslationTest {

    private static ObjectNode json(String text) throws Exception {
        return (ObjectNode) Json.MAPPER.readTree(text);
    }

    @Test
    void aMessagesRequestReadsAsChat() throws Exception {
        ObjectNode chat = MessagesToChat.request(json("""
                {"model": "m", "max_tokens": 100, "stop_sequences": ["END"], "metadata": {"user_id": "u1"},
                 "system": [{"type": "text", "text": "Be brief."}, {"type": "text", "text": "Be kind."}],
                 "tools": [{"name": "get_weather", "input_schema": {"type": "object"}}],
                 "tool_choice": {"type": "any", "disable_parallel_tool_use": true},
                 "messages": [
                   {"role": "user", "content": [
                     {"type": "text", "text": "What is here?"},
                     {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": "iVBORw0"}},
                     {"type": "image", "source": {"type": "url", "url": "https://example.com/a.jpg"}}]},
                   {"role": "assistant", "content": [
                     {"type": "thinking", "thinking": "hmm", "signature": "s"},
                     {"type": "tool_use", "id": "toolu_1", "name": "get_weather", "input": {"city": "Oslo"}}]},
                   {"role": "user", "content": [
                     {"type": "tool_result", "tool_use_id": "toolu_1", "content": [{"type": "text", "text": "5 C"}]},
                     {"type": "text", "text": "And tomorrow?"}]}]}"""));
        JsonNode m = chat.get("messages");
        assertEquals("system", m.get(0).get("role").asText());
        assertEquals("Be brief.\nBe kind.", m.get(0).get("content").asText());
        JsonNode parts = m.get(1).get("content");
        assertEquals("data:image/png;base64,iVBORw0", parts.get(1).get("image_url").get("url").asText());
        assertEquals("https://example.com/a.jpg", parts.get(2).get("image_url").get("url").asText());
        JsonNode call = m.get(2).get("tool_calls").get(0);
        assertEquals("toolu_1", call.get("id").asText());
        assertEquals("{\"city\":\"Oslo\"}", call.get("function").get("arguments").asText());
        assertTrue(m.get(2).get("content").isNull());
        // the tool's answer comes right after the call, the user's text after it
        assertEquals("tool", m.get(3).get("role").asText());
        assertEquals("5 C", m.get(3).get("content").asText());
        assertEquals("And tomorrow?", m.get(4).get("content").asText());
        assertEquals("required", chat.get("tool_choice").asText());
        assertEquals(false, chat.get("parallel_tool_calls").asBoolean());
        assertEquals("get_weather", chat.get("tools").get(0).get("function").get("name").asText());
        assertEquals("END", chat.get("stop").get(0).asText());
        assertEquals("u1", chat.get("user").asText());
        assertEquals(100, chat.get("max_tokens").asInt());
    }

    @Test
    void anthropicServerToolsCannotGoToChat() {
        UpstreamException e = assertThrows(UpstreamException.class, () -> MessagesToChat.request(json("""
                {"model": "m", "max_tokens": 5, "messages": [{"role": "user", "content": "hi"}],
                 "tools": [{"type": "web_search_20250305", "name": "web_search"}]}""")));
        assertEquals(400, e.status());
        assertTrue(e.getMessage().contains("web_search"), e.getMessage());
    }

    @Test
    void aChatRequestReadsAsMessages() throws Exception {
        ObjectNode m = ChatToMessages.request(json("""
                {"model": "claude", "user": "u2", "stop": "END", "parallel_tool_calls": false,
                 "tools": [{"type": "function", "function": {"name": "f", "parameters": {"type": "object"}}}],
                 "tool_choice": {"type": "function", "function": {"name": "f"}},
                 "messages": [
                   {"role": "system", "content": "Be brief."},
                   {"role": "user", "content": [{"type": "text", "text": "Look"},
                     {"type": "image_url", "image_url": {"url": "data:image/jpeg;base64,/9j/4A"}}]},
                   {"role": "assistant", "content": null, "tool_calls": [{"id": "c1", "type": "function",
                     "function": {"name": "f", "arguments": "{\\"x\\": 1}"}}, {"id": "c2", "type": "function",
                     "function": {"name": "f", "arguments": "{\\"x\\": 2}"}}]},
                   {"role": "tool", "tool_call_id": "c1", "content": "one"},
                   {"role": "tool", "tool_call_id": "c2", "content": "two"}]}"""));
        assertEquals("Be brief.", m.get("system").asText());
        assertEquals(ChatToMessages.DEFAULT_MAX_TOKENS, m.get("max_tokens").asInt());
        JsonNode msgs = m.get("messages");
        assertEquals(3, msgs.size(), msgs.toString());
        JsonNode image = msgs.get(0).get("content").get(1);
        assertEquals("base64", image.get("source").get("type").asText());
        assertEquals("image/jpeg", image.get("source").get("media_type").asText());
        assertEquals(1, msgs.get(1).get("content").get(0).get("input").get("x").asInt());
        // both tool results in one user turn, as Anthropic wants alternating turns
        assertEquals("user", msgs.get(2).get("role").asText());
        assertEquals(2, msgs.get(2).get("content").size());
        assertEquals("c2", msgs.get(2).get("content").get(1).get("tool_use_id").asText());
        assertEquals("tool", m.get("tool_choice").get("type").asText());
        assertTrue(m.get("tool_choice").get("disable_parallel_tool_use").asBoolean());
        assertEquals("u2", m.get("metadata").get("user_id").asText());
        assertEquals("END", m.get("stop_sequences").get(0).asText());
        assertThrows(UpstreamException.class, () -> ChatToMessages.request(json("""
                {"model": "c", "n": 2, "messages": [{"role": "user", "content": "hi"}]}""")));
    }

    @Test
    void answersAndUsageTranslateBothWays() throws Exception {
        ObjectNode message = json("""
                {"id": "msg_1", "type": "message", "role": "assistant", "model": "claude-x",
                 "content": [{"type": "text", "text": "Checking."},
                             {"type": "tool_use", "id": "toolu_9", "name": "f", "input": {"a": true}}],
                 "stop_reason": "tool_use", "stop_sequence": null,
                 "usage": {"input_tokens": 10, "cache_read_input_tokens": 100, "cache_creation_input_tokens": 50,
                           "output_tokens": 7}}""");
        ObjectNode chat = MessagesToChat.response(message);
        assertEquals("tool_calls", chat.at("/choices/0/finish_reason").asText());
        assertEquals("Checking.", chat.at("/choices/0/message/content").asText());
        assertEquals("toolu_9", chat.at("/choices/0/message/tool_calls/0/id").asText());
        assertEquals(160, chat.at("/usage/prompt_tokens").asInt());
        assertEquals(100, chat.at("/usage/prompt_tokens_details/cached_tokens").asInt());
        assertEquals(50, chat.at("/usage/cache_creation_input_tokens").asInt());

        ObjectNode back = ChatToMessages.response(chat);
        assertEquals("tool_use", back.get("stop_reason").asText());
        assertEquals(message.get("content"), back.get("content"));
        message.get("usage").properties().forEach(u ->
                assertEquals(u.getValue().asLong(), back.get("usage").path(u.getKey()).asLong(), u.getKey()));
    }

    @Test
    void chatChunksBecomeAnthropicsEventSequence() throws Exception {
        List<ObjectNode> chunks = List.of(
                json("{\"id\":\"chatcmpl-1\",\"model\":\"g\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"}}]}"),
                json("{\"id\":\"chatcmpl-1\",\"model\":\"g\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"}}]}"),
                json("{\"id\":\"chatcmpl-1\",\"model\":\"g\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"c\",\"function\":{\"name\":\"f\",\"arguments\":\"{}\"}}]}}]}"),
                json("{\"id\":\"chatcmpl-1\",\"model\":\"g\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"tool_calls\"}]}"),
                json("{\"id\":\"chatcmpl-1\",\"model\":\"g\",\"choices\":[],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":3}}"));
        List<String> types = new ArrayList<>();
        List<ObjectNode> events = drain(ChatToMessages.stream(ChunkStream.of(chunks)));
        events.forEach(e -> types.add(e.get("type").asText()));
        assertEquals(List.of("message_start", "content_block_start", "ping", "content_block_delta", "content_block_stop",
                "content_block_start", "content_block_delta", "content_block_stop", "message_delta", "message_stop"), types);
        ObjectNode delta = events.get(8);
        assertEquals("tool_use", delta.at("/delta/stop_reason").asText());
        assertEquals(9, delta.at("/usage/input_tokens").asInt());
        assertEquals("msg_1", events.get(0).at("/message/id").asText());

        // and back: the same text, tool call and usage as chat chunks
        List<ObjectNode> again = drain(MessagesToChat.stream(ChunkStream.of(events)));
        StringBuilder text = new StringBuilder();
        again.forEach(c -> c.path("choices").forEach(ch -> text.append(ch.path("delta").path("content").asText(""))));
        assertEquals("Hi", text.toString());
        assertEquals(9, again.getLast().at("/usage/prompt_tokens").asInt());
        assertTrue(again.stream().anyMatch(c -> c.at("/choices/0/finish_reason").asText("").equals("tool_calls")));
    }

    private static List<ObjectNode> drain(ChunkStream s) {
        List<ObjectNode> out = new ArrayList<>();
        for (Optional<ObjectNode> n = s.next(); n.isPresent(); n = s.next()) {
            out.add(n.get());
        }
        return out;
    }
}
