package dev.llmhub.api;

/** Outcome of a call (or of one attempt of it). */
public enum CallStatus {
    /** The client got a successful answer. */
    SUCCESS("success"),
    /** The client got an error. */
    FAILURE("failure");

    private final String wireName;

    CallStatus(String wireName) {
        this.wireName = wireName;
    }

    /** The name used in the call record's JSON form. */
    public String wireName() {
        return wireName;
    }
}
