package dev.llmhub.api;

import java.util.Locale;

/** Outcome of a call (or of one attempt of it). */
public enum CallStatus {
    /** The client got a successful answer. */
    SUCCESS,
    /** The client got an error. */
    FAILURE;

    /** The lower-case constant name: computed once, since records are written with it. */
    private final String wireName = name().toLowerCase(Locale.ROOT);

    /** The name used in the call record's JSON form. */
    public String wireName() {
        return wireName;
    }
}
