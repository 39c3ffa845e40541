package dev.llmhub.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmhub.server.SeedRequests;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed's custom-callback walkthrough, verbatim, against the assembled distribution: its config
 * line, its curl (form-encoded body, {@code Bearer sk-1234}), its printed block — minus the secret.
 */
class SeedCustomCallbackIT {

    private static final String CONFIG = "model_list:\n" + SeedRequests.MOCK_MODEL + """

            litellm_settings:
              callbacks: custom_callbacks.proxy_handler_instance # sets litellm.callbacks = [proxy_handler_instance]

            general_settings:
              master_key: sk-1234
            """;


    @Test
    void printsTheSeedsBlockWithTheKeyRedacted(@TempDir Path work) {
        try (ProxyProcess proxy = ProxyProcess.start(work, CONFIG, null, Map.of())) {
            HttpResponse<String> r = proxy.post("/chat/completions", SeedRequests.GOOD_MORNING, "Authorization", "Bearer sk-1234");
            assertEquals(200, r.statusCode(), r.body());
            assertEquals("3.65e-05", r.headers().firstValue("x-llmhub-response-cost").orElse(""));
            assertTrue(r.body().contains("\"prompt_tokens\":11"), r.body());

            proxy.await("the On Success block", Duration.ofSeconds(30), () -> proxy.output().contains("Proxy Metadata:"));
            String out = proxy.output();
            // each hook's line, and the On Success block's fields
            for (String expected : List.of(
                    "Pre-API Call",
                    "Post-API Call",
                    "On Success",
                    "    Model: gpt-3.5-turbo,",
                    "    Messages: [{'role': 'user', 'content': 'good morning good sir'}],",
                    "    User: ishaan-app,",
                    "    Usage: {'completion_tokens': 10, 'prompt_tokens': 11, 'total_tokens': 21},",
                    "    Cost: 3.65e-05,",
                    "'content': 'Good morning! How can I assist you today?'",
                    "'authorization': '[REDACTED]'",
                    "'content-type': 'application/x-www-form-urlencoded'",
                    "'model_group': 'gpt-3.5-turbo'")) {
                assertTrue(out.contains(expected), () -> "no " + expected + " in:\n" + out);
            }
            assertFalse(out.contains("sk-1234"), "the master key leaked into the proxy's output:\n" + out);
        }
    }

    @Test
    void aFailedCallPrintsOnFailure(@TempDir Path work) {
        String config = CONFIG.replace("mock_response: \"Good morning! How can I assist you today?\"",
                "api_base: http://127.0.0.1:9/v1\n      api_key: sk-upstream-secret-42\n      max_retries: 0\n      timeout: 2");
        try (ProxyProcess proxy = ProxyProcess.start(work, config, null, Map.of())) {
            HttpResponse<String> r = proxy.post("/chat/completions", SeedRequests.GOOD_MORNING, "Authorization", "Bearer sk-1234");
            assertTrue(r.statusCode() >= 500, r.statusCode() + " " + r.body());
            assertTrue(r.body().contains("\"error\""), r.body());
            proxy.await("On Failure", Duration.ofSeconds(30), () -> proxy.output().contains("On Failure"));
            assertFalse(proxy.output().contains("sk-1234"), proxy.output());
            assertFalse(proxy.output().contains("sk-upstream-secret-42"), proxy.output());
            assertFalse(r.body().contains("sk-upstream-secret-42"), r.body());
        }
    }
}
