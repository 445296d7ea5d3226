package io.runledger.server.http;

/** The body of an operation that takes no fields: {@code {}} or nothing; any field is refused. */
public record EmptyBody() {
}
