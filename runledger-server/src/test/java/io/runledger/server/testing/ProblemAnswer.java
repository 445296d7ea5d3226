package io.runledger.server.testing;

import com.fasterxml.jackson.databind.JsonNode;

/** What tests read off any answer, whichever client got it: its headers and problem code. */
public interface ProblemAnswer {
    String header(String name);

    /** The body as JSON, or null if it is not JSON. */
    JsonNode json();

    default String contentType() {
        return header("Content-Type");
    }

    /** The problem document's {@code code}, or null. */
    default String code() {
        JsonNode json = json();
        return json == null || !json.has("code") ? null : json.get("code").asText();
    }
}
