package io.runledger.core.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runledger.api.NewScopeKey;
import io.runledger.api.NotFoundException;
import io.runledger.api.ScopeKey;
import io.runledger.api.ServiceInfo;
import io.runledger.api.ServiceSpec;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/** {@code Admin}: scopes and their keys (with admin rights), services (in the scope). */
public abstract class AdminContract extends ContractBase {

    @Test
    void aScopeIsCreatedOnce() {
        assertThat(admin.admin().scopeExists("fresh")).isFalse();
        assertThat(admin.admin().scopePut("fresh")).isTrue();
        assertThat(admin.admin().scopePut("fresh")).isFalse();
        assertThat(admin.admin().scopeExists("fresh")).isTrue();
        assertThat(admin.admin().scopeExists(SCOPE)).isTrue();
    }

    @Test
    void scopeKeysAreCreatedListedAndRevoked() {
        List<String> before = keyIds();
        NewScopeKey created = admin.admin().keyCreate(SCOPE, "ci");
        assertThat(created.key()).startsWith("rlk_");
        ScopeKey info = created.info();
        assertThat(info.scope()).isEqualTo(SCOPE);
        assertThat(info.name()).isEqualTo("ci");
        assertThat(info.keyId()).isNotBlank();
        assertThat(info.createdAt()).isNotNull();

        NewScopeKey unnamed = admin.admin().keyCreate(SCOPE, null);
        assertThat(unnamed.key()).isNotEqualTo(created.key());
        List<ScopeKey> listed = admin.admin().keysList(SCOPE);
        assertThat(listed).extracting(ScopeKey::keyId)
                .containsSubsequence(info.keyId(), unnamed.info().keyId())
                .hasSize(before.size() + 2);
        ScopeKey ci = listed.stream().filter(k -> k.keyId().equals(info.keyId())).findFirst().orElseThrow();
        assertThat(ci.name()).isEqualTo("ci");
        assertThat(ci.createdAt()).isEqualTo(info.createdAt());
        assertThat(ci.toString()).doesNotContain(created.key());

        admin.admin().keyDelete(SCOPE, info.keyId());
        assertThat(keyIds()).doesNotContain(info.keyId()).contains(unnamed.info().keyId());
        assertThatThrownBy(() -> admin.admin().keyDelete(SCOPE, info.keyId()))
                .isInstanceOfSatisfying(NotFoundException.class, e -> assertThat(e.code()).isEqualTo("key_not_found"));
        assertThatThrownBy(() -> admin.admin().keysList("ghost"))
                .isInstanceOfSatisfying(NotFoundException.class, e -> assertThat(e.code()).isEqualTo("scope_not_found"));
        assertThatThrownBy(() -> admin.admin().keyCreate("ghost", null))
                .isInstanceOfSatisfying(NotFoundException.class, e -> assertThat(e.code()).isEqualTo("scope_not_found"));
    }

    private List<String> keyIds() {
        return admin.admin().keysList(SCOPE).stream().map(ScopeKey::keyId).toList();
    }

    @Test
    void servicesAreCreatedUpdatedReadAndListed() {
        ServiceInfo defaults = ledger.admin().servicePut(SCOPE, "plain", null);
        assertThat(defaults.scope()).isEqualTo(SCOPE);
        assertThat(defaults.service()).isEqualTo("plain");
        assertThat(defaults.maxAttempts()).isEqualTo(ServiceSpec.DEFAULT_MAX_ATTEMPTS);
        assertThat(defaults.leaseTtlSeconds()).isEqualTo(ServiceSpec.DEFAULT_LEASE_TTL_SECONDS);
        assertThat(defaults.concurrencyLimit()).isNull();
        assertThat(defaults.createdAt()).isNotNull();

        ServiceInfo typed = ledger.admin().servicePut(SCOPE, "typed", new ServiceSpec(5, 60,
                json("{\"type\": \"object\", \"required\": [\"q\"]}"), 4, "answers questions"));
        assertThat(typed.maxAttempts()).isEqualTo(5);
        assertThat(typed.leaseTtlSeconds()).isEqualTo(60);
        assertThat(typed.inputSchema()).isEqualTo(json("{\"type\": \"object\", \"required\": [\"q\"]}"));
        assertThat(typed.concurrencyLimit()).isEqualTo(4);
        assertThat(typed.description()).isEqualTo("answers questions");
        assertThat(ledger.admin().serviceGet(SCOPE, "typed")).isEqualTo(typed);

        ServiceInfo changed = ledger.admin().servicePut(SCOPE, "typed", new ServiceSpec(2, 60, null, null, null));
        assertThat(changed.maxAttempts()).isEqualTo(2);
        assertThat(changed.createdAt()).isEqualTo(typed.createdAt());
        assertThat(ledger.admin().servicesList(SCOPE)).extracting(ServiceInfo::service)
                .containsExactlyInAnyOrder(SERVICE, "plain", "typed");
        assertThatThrownBy(() -> ledger.admin().serviceGet(SCOPE, "ghost"))
                .isInstanceOfSatisfying(NotFoundException.class, e -> assertThat(e.code()).isEqualTo("service_not_found"));
    }

    private void refusedAdmin(String code, ThrowingCallable call) {
        long scopes = count("select count(*) from scopes");
        long services = count("select count(*) from services");
        refused(code, call);
        assertThat(count("select count(*) from scopes")).isEqualTo(scopes);
        assertThat(count("select count(*) from services")).isEqualTo(services);
    }

    @Test
    void adminRefusals() {
        refusedAdmin("invalid_name", () -> admin.admin().scopePut("UPPER"));
        refusedAdmin("invalid_name", () -> admin.admin().scopePut("a".repeat(64)));
        refusedAdmin("scope_not_found", () -> ledger.admin().servicePut("ghost", "svc", null));
        refusedAdmin("invalid_name", () -> ledger.admin().servicePut(SCOPE, "Bad Service", null));
        refusedAdmin("invalid_argument", () -> ledger.admin().servicePut(SCOPE, "svc", new ServiceSpec(0, 30, null, null, null)));
        refusedAdmin("invalid_argument", () -> ledger.admin().servicePut(SCOPE, "svc", new ServiceSpec(1, 0, null, null, null)));
        refusedAdmin("invalid_argument", () -> ledger.admin().servicePut(SCOPE, "svc", new ServiceSpec(1, 30, null, 0, null)));
        refusedAdmin("invalid_argument", () -> ledger.admin().servicePut(SCOPE, "svc",
                new ServiceSpec(1, 30, json("{\"type\": \"no-such-type\"}"), null, null)));
        refusedAdmin("run_not_found", () -> ledger.runs().get(SCOPE, "not a run id at all"));
        refusedAdmin("run_not_found", () -> ledger.runs().get(SCOPE, "run_00000000000000000000000000"));
    }
}
