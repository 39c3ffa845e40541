package dev.llmhub.e2e;

/** Pieces of proxy configs that several end-to-end tests and benchmarks use alike. */
final class ConfigYaml {
    private ConfigYaml() {
    }

    /**
     * @return a {@code model_list} entry (indented as one) for OpenAI's {@code model} whose {@code api_base} is
     *     {@code closedPort} on loopback: every call fails at once with a connection error (no retry, a 2 s
     *     timeout), and {@code apiKey} is the upstream key no record may carry
     */
    static String unreachableModel(String name, String model, int closedPort, String apiKey) {
        return """
                  - model_name: %s
                    litellm_params:
                      model: openai/%s
                      api_base: http://127.0.0.1:%d/v1
                      api_key: %s
                      max_retries: 0
                      timeout: 2
                """.formatted(name, model, closedPort, apiKey);
    }

    /** The hot-swap tests' {@code model_list}: a mock {@code swap-model} answering "still here". */
    static final String SWAP_MODEL_LIST = """
            model_list:
              - model_name: swap-model
                litellm_params:
                  model: gpt-3.5-turbo
                  mock_response: "still here"
            """;

    /**
     * @return {@code litellm_settings} and {@code callback_settings} enabling only the elasticsearch
     *     destination at {@code url} into {@code index}, flushing every {@code flushInterval} and retrying fast
     *     (100 ms to 1 s)
     */
    static String elasticsearchOnly(String url, String index, String flushInterval) {
        return only("elasticsearch", "url: " + url, "index: " + index, "flush_interval: " + flushInterval,
                "retry_initial_backoff: 100ms", "retry_max_backoff: 1s");
    }

    /**
     * @return {@code litellm_settings} and {@code callback_settings} enabling only the destination {@code name},
     *     with {@code settings} ({@code key: value} each) in the order given
     */
    static String only(String name, String... settings) {
        StringBuilder yaml = new StringBuilder("""
                litellm_settings:
                  callbacks: ["%s"]
                callback_settings:
                  %s:
                """.formatted(name, name));
        for (String setting : settings) {
            yaml.append("    ").append(setting).append('\n');
        }
        return yaml.toString();
    }
}
