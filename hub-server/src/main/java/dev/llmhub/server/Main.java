package dev.llmhub.server;

/** PLACEHOLDER: the CLI entry point. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.out.println("llmhub: not built yet");
    }
}
