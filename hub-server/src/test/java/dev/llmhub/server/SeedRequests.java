package dev.llmhub.server;

/**
 * Request bodies from the seed document (the LiteLLM logging guide), byte for byte, and the model they
 * call; for this module's tests and the end-to-end tests alike.
 */
public final class SeedRequests {
    private SeedRequests() {
    }

    /**
     * A {@code model_list} entry (indented as one) for the seed's model, {@code gpt-3.5-turbo}, as a mock
     * answering the seed's "Good morning! How can I assist you today?" and priced so that the seed's call
     * (11 + 10 tokens) costs the seed's 3.65e-05.
     */
    public static final String MOCK_MODEL = """
              - model_name: gpt-3.5-turbo
                litellm_params:
                  model: gpt-3.5-turbo
                  mock_response: "Good morning! How can I assist you today?"
                  input_cost_per_token: 1.5e-06
                  output_cost_per_token: 2.0e-06
            """;

    /** The custom-callback section's curl body (leading space and all), sent form-encoded. */
    public static final String GOOD_MORNING = """
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
    public static final String LITELLM_TESTING = """
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
