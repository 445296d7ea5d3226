package io.runledger.core.internal.store;

import io.runledger.api.ServiceInfo;
import java.time.Instant;

/** A service as a trigger reads it, with its transaction's {@code now()}. */
public record ServiceAt(ServiceInfo service, Instant now) {
}
