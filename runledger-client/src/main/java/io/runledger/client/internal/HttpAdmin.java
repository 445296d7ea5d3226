package io.runledger.client.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.runledger.api.Admin;
import io.runledger.api.NewScopeKey;
import io.runledger.api.NotFoundException;
import io.runledger.api.Overview;
import io.runledger.api.OverviewWindow;
import io.runledger.api.QueueStat;
import io.runledger.api.ScopeKey;
import io.runledger.api.ServiceInfo;
import io.runledger.api.ServiceSpec;
import java.util.List;
import java.util.Objects;

/**
 * {@link Admin} over HTTP: scopes and their keys (admin key), services (admin key or the
 * scope's key).
 */
public final class HttpAdmin implements Admin {
    private final Transport transport;

    public HttpAdmin(Transport transport) {
        this.transport = Objects.requireNonNull(transport, "transport");
    }

    @Override
    public boolean scopePut(String scope) {
        Transport.Answer answer = transport.put(Paths.scope(scope), null);
        return answer.body().path("created").asBoolean(answer.status() == 201);
    }

    /**
     * The API has no endpoint for this question, so it asks {@code GET .../services}, which
     * answers 404 {@code scope_not_found} for a scope that does not exist. It answers the same
     * for a scope another scope's key may not see: with a scope key, false means "not one this
     * key can act in", which is all such a caller can learn (the server does not tell them
     * apart, so as not to reveal other tenants' scopes).
     */
    @Override
    public boolean scopeExists(String scope) {
        try {
            transport.get(Paths.scope(scope) + "/services", null, null, null);
            return true;
        } catch (NotFoundException e) {
            if ("scope_not_found".equals(e.code())) {
                return false;
            }
            throw e;
        }
    }

    @Override
    public NewScopeKey keyCreate(String scope, String name) {
        ObjectNode body = Wire.MAPPER.createObjectNode();
        if (name != null) {
            body.put("name", name);
        }
        JsonNode answer = transport.post(Paths.scope(scope) + "/keys", body, null, null, null).body();
        return new NewScopeKey(answer.path("key").asText(), Wire.scopeKey(answer));
    }

    @Override
    public List<ScopeKey> keysList(String scope) {
        return Wire.items(transport.get(Paths.scope(scope) + "/keys", null, null, null).body(), Wire::scopeKey);
    }

    @Override
    public void keyDelete(String scope, String keyId) {
        transport.delete(Paths.scope(scope) + "/keys/" + Transport.enc(keyId));
    }

    @Override
    public ServiceInfo servicePut(String scope, String service, ServiceSpec spec) {
        return Wire.service(transport.put(Paths.service(scope, service), Wire.serviceBody(spec)).body());
    }

    @Override
    public ServiceInfo serviceGet(String scope, String service) {
        return Wire.service(transport.get(Paths.service(scope, service), null, null, null).body());
    }

    @Override
    public List<ServiceInfo> servicesList(String scope) {
        return Wire.items(transport.get(Paths.scope(scope) + "/services", null, null, null).body(), Wire::service);
    }

    @Override
    public List<QueueStat> queues(String scope) {
        return Wire.items(transport.get(Paths.scope(scope) + "/queues", null, null, null).body(),
                n -> new QueueStat(scope, Wire.text(n, "service"), n.path("depth").asLong(),
                        n.path("oldestAgeSeconds").asDouble()));
    }

    @Override
    public Overview overview(String scope, OverviewWindow window) {
        return Wire.overview(scope, transport.get(Paths.scope(scope) + "/overview",
                java.util.Map.of("window", window.wireName()), null, null).body());
    }

    @Override
    public ServiceInfo servicePause(String scope, String service) {
        return Wire.service(transport.post(Paths.service(scope, service) + "/pause", null, null, null, null).body());
    }

    @Override
    public ServiceInfo serviceResume(String scope, String service) {
        return Wire.service(transport.post(Paths.service(scope, service) + "/resume", null, null, null, null).body());
    }
}
