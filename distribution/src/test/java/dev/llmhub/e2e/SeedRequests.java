package dev.llmhub.e2e;

/** Request bodies from the seed document (the LiteLLM logging guide), byte for byte. */
final class SeedRequests {
    private SeedRequests() {
    }

    /** The custom-callback section's curl body (leading space and all), sent form-encoded. */
    static final String GOOD_MORNING = """
             {
                "model": "gpt-3.5-turbo",
                "messages": [
                    {
                    "role": "user",
                    "content": "good morning good sir"
                    }
                ],
                "user": "ishaan-app",
                "temperature": 0.2
                }""";

    /** The OpenTelemetry section's curl body (leading space and all), sent form-encoded. */
    static final String LITELLM_TESTING = """
             {
                "model": "gpt-3.5-turbo",
                "messages": [
                    {
                    "role": "user",
                    "content": "request from LiteLLM testing"
                    }
                ]
                }""";
}
