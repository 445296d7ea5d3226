package io.runledger.core.internal.waitpoints;

import com.fasterxml.jackson.databind.JsonNode;
import io.runledger.core.internal.kernel.RunIds;
import io.runledger.api.ConflictException;
import io.runledger.api.InvalidArgumentException;
import io.runledger.api.InvalidNameException;
import io.runledger.api.NewWaitpoint;
import io.runledger.api.NotFoundException;
import io.runledger.api.Page;
import io.runledger.api.Waitpoint;
import io.runledger.api.WaitpointCreate;
import io.runledger.api.WaitpointFilter;
import io.runledger.api.WaitpointKind;
import io.runledger.api.WaitpointStatus;
import io.runledger.api.Waitpoints;
import io.runledger.core.internal.kernel.Cursors;
import io.runledger.core.internal.kernel.Limits;
import io.runledger.core.internal.kernel.Tx;
import io.runledger.core.internal.store.Json;
import io.runledger.core.internal.store.RunStore;
import io.runledger.core.internal.store.ServiceStore;
import io.runledger.core.internal.store.WaitpointStore;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Handle;

/**
 * Token waitpoints. A token is completed once, by a call with a key of its scope or by a POST
 * to its callback URL, whose secret (32 random bytes) is the only authority there: the table
 * keeps its SHA-256, so a read of the database cannot complete tokens. The completion resumes
 * in the same transaction every run whose last pending waitpoint it was.
 */
public final class WaitpointOps implements Waitpoints {
    public static final String CALLBACK_PREFIX = "/v1/callbacks/";
    private static final SecureRandom RANDOM = new SecureRandom();
    /** "wpc_" and 43 base64url characters: 32 bytes. */
    private static final Pattern SECRET = Pattern.compile("wpc_[A-Za-z0-9_-]{43}");

    private final RunIds ids;
    private final Tx tx;
    private final RunStore runs;
    private final ServiceStore services;
    private final WaitpointStore store;
    private final Resumer resumer;

    public WaitpointOps(Tx tx, RunStore runs, ServiceStore services, WaitpointStore store, Resumer resumer,
                        RunIds ids) {
        this.ids = ids;
        this.tx = tx;
        this.runs = runs;
        this.services = services;
        this.store = store;
        this.resumer = resumer;
    }

    String newId() {
        return ids.waitpoint();
    }

    static NotFoundException notFound(String waitpointId) {
        return NotFoundException.of("waitpoint_not_found", "waitpoint '" + waitpointId + "' does not exist");
    }

    @Override
    public NewWaitpoint create(String scope, WaitpointCreate request) {
        InvalidNameException.requireValid("scope", scope);
        Objects.requireNonNull(request, "request");
        if (request.timeoutSeconds() != null) {
            Limits.range("timeoutSeconds", request.timeoutSeconds(), 1, Limits.MAX_DELAY_SECONDS);
        }
        Limits.optionalText("idempotencyKey", request.idempotencyKey(), Limits.MAX_KEY_LENGTH);
        Limits.optionalText("runId", request.runId(), Limits.MAX_KEY_LENGTH);
        if (request.tags().size() > Limits.MAX_TAGS) {
            throw new InvalidArgumentException("at most " + Limits.MAX_TAGS + " tags");
        }
        for (String tag : request.tags()) {
            if (tag == null) {
                throw new InvalidArgumentException("tags must be strings");
            }
            Limits.optionalText("tag", tag, Limits.MAX_TAG_LENGTH);
        }
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String secret = "wpc_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        return tx.run((h, changes) -> {
            if (!services.scopeExists(h, scope)) {
                throw NotFoundException.scope(scope);
            }
            if (request.runId() != null && !runs.runExists(h, scope, request.runId())) {
                throw NotFoundException.run(request.runId());
            }
            Instant expiresAt = request.timeoutSeconds() == null ? null
                    : runs.now(h).plusSeconds(request.timeoutSeconds());
            changes.dueAt(expiresAt);
            return store.waitpointInsert(h, new WaitpointStore.WaitpointInsert(scope, newId(), WaitpointKind.TOKEN,
                            WaitpointStatus.PENDING, null, request.runId(), null, null, null, expiresAt, hash(secret),
                            request.idempotencyKey(), request.tags()))
                    .map(w -> new NewWaitpoint(w, CALLBACK_PREFIX + secret, false))
                    .orElseGet(() -> new NewWaitpoint(store.waitpointByKey(h, scope, request.idempotencyKey())
                            .orElseThrow(() -> new IllegalStateException("idempotency key of a waitpoint vanished")),
                            null, true));
        });
    }

    @Override
    public Waitpoint complete(String scope, String waitpointId, JsonNode data) {
        InvalidNameException.requireValid("scope", scope);
        JsonNode value = checkedData(data);
        return tx.run((h, changes) -> {
            Waitpoint w = store.waitpointLock(h, scope, waitpointId).orElseThrow(() -> notFound(waitpointId));
            return complete(h, changes, w, value);
        });
    }

    @Override
    public Waitpoint completeByCallback(String secret, JsonNode data) {
        if (secret == null || !SECRET.matcher(secret).matches()) {
            throw notFound("(callback)");
        }
        JsonNode value = checkedData(data);
        return tx.run((h, changes) -> {
            Waitpoint w = store.waitpointLockByCallback(h, hash(secret)).orElseThrow(() -> notFound("(callback)"));
            return complete(h, changes, w, value);
        });
    }

    private Waitpoint complete(Handle h, Tx.Changes changes, Waitpoint w, JsonNode data) {
        if (w.kind() != WaitpointKind.TOKEN) {
            throw new InvalidArgumentException("waitpoint '" + w.waitpointId() + "' is a " + w.kind().wireName()
                    + " waitpoint; only tokens are completed by a call");
        }
        if (w.status() != WaitpointStatus.PENDING) {
            if (w.status() == WaitpointStatus.COMPLETED && Objects.equals(w.data(), data)) {
                return w; // a repeat of the same completion
            }
            throw ConflictException.waitpointCompleted(w.waitpointId(), w.status());
        }
        Waitpoint done = store.waitpointComplete(h, w.scope(), w.waitpointId(), data)
                .orElseThrow(() -> new IllegalStateException("locked pending waitpoint changed"));
        resumer.resume(h, changes, w.scope(), store.runsWaitingOn(h, w.scope(), w.waitpointId()));
        return done;
    }

    private static JsonNode checkedData(JsonNode data) {
        Limits.requireSize("data", data, Limits.MAX_OUTPUT_BYTES);
        return data == null ? Json.MAPPER.nullNode() : data;
    }

    @Override
    public Waitpoint get(String scope, String waitpointId) {
        InvalidNameException.requireValid("scope", scope);
        return tx.read(h -> store.waitpointGet(h, scope, waitpointId)).orElseThrow(() -> notFound(waitpointId));
    }

    @Override
    public Page<Waitpoint> list(String scope, WaitpointFilter filter) {
        InvalidNameException.requireValid("scope", scope);
        Limits.range("limit", filter.limit(), 1, WaitpointFilter.MAX_LIMIT);
        Limits.optionalText("runId", filter.runId(), Limits.MAX_KEY_LENGTH);
        Cursors.Position at = Cursors.decode(filter.cursor());
        List<Waitpoint> rows = tx.read(h -> {
            if (!services.scopeExists(h, scope)) {
                throw NotFoundException.scope(scope);
            }
            return store.waitpointsList(h, scope, filter.status(), filter.runId(),
                    at == null ? null : at.createdAt(), at == null ? null : at.id(), filter.limit());
        });
        if (rows.size() <= filter.limit()) {
            return new Page<>(rows, null);
        }
        List<Waitpoint> page = rows.subList(0, filter.limit());
        Waitpoint last = page.get(page.size() - 1);
        return new Page<>(page, Cursors.encode(last.createdAt(), last.waitpointId()));
    }

    static String hash(String secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
