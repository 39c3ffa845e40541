package dev.llmhub.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Without a master key the API is open, and the admin API is refused outright. */
class OpenProxyTest {
    @RegisterExtension
    static final TestProxy proxy = new TestProxy("""
                model_list:
                  - model_name: m
                    litellm_params: {model: mock/m}
                """);

    @Test
    void openApiButForbiddenAdmin() throws Exception {
        assertEquals(200, proxy.post("/chat/completions", "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}")
                .statusCode());
        assertEquals(200, proxy.post("/chat/completions", "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}",
                "Authorization", "Bearer anything").statusCode());
        assertEquals(403, proxy.get("/admin/lanes").statusCode());
        assertEquals(403, proxy.get("/admin/lanes", "Authorization", "Bearer anything").statusCode());
    }
}
